using System.Collections.Frozen;

namespace StopSync.Jobs.Sources.Osm;

/// <summary>Exact, case-sensitive lookup; only the operator attribute problem reads the result.</summary>
public sealed class OperatorNormalizer
{
    private const string ResourceName = "StopSync.Jobs.Sources.Osm.operator-aliases.csv";
    private readonly FrozenDictionary<string, string> _aliases;

    public OperatorNormalizer()
        : this(LoadEmbedded())
    {
    }

    public OperatorNormalizer(IReadOnlyDictionary<string, string> aliases) =>
        _aliases = aliases.ToFrozenDictionary(StringComparer.Ordinal);

    public string? Normalize(string? value) =>
        value is null ? null : _aliases.GetValueOrDefault(value.Trim(), value.Trim());

    private static Dictionary<string, string> LoadEmbedded()
    {
        using var stream = typeof(OperatorNormalizer).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            // Names may contain commas; the standard name after the last one never does.
            var comma = line.LastIndexOf(',');
            if (comma > 0)
            {
                aliases[line[..comma].Trim()] = line[(comma + 1)..].Trim();
            }
        }

        return aliases;
    }
}
