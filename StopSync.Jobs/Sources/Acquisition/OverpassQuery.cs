namespace StopSync.Jobs.Sources.Acquisition;

public static class OverpassQuery
{
    private const string ResourceName = "StopSync.Jobs.Sources.Acquisition.overpass-query.overpassql";

    private static readonly Lazy<string> DefaultText = new(Load);

    /// <summary>The query of docs/06-sources.md#openstreetmap-overpass-xml.</summary>
    public static string Default => DefaultText.Value;

    private static string Load()
    {
        using var stream = typeof(OverpassQuery).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Trim();
    }
}
