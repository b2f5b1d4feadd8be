using System.Globalization;
using nietras.SeparatedValues;
using Microsoft.Extensions.Logging;

namespace StopSync.Jobs.Pipeline.AtlasImport;

/// <summary>Reads the ATLAS traffic-point CSV (<c>;</c>-separated, UTF-8 with or without BOM), columns by name.</summary>
public sealed class AtlasCsvReader(ILogger<AtlasCsvReader> logger)
{
    private const int MaxLoggedExamples = 5;

    private static readonly string[] RequiredColumns =
    [
        "sloid", "uicCountryCode", "number", "validTo", "designation", "trafficPointElementType",
        "wgs84East", "wgs84North", "designationOfficial", "servicePointBusinessOrganisationAbbreviationEn",
    ];

    public AtlasReadResult Read(string path, DateOnly today)
    {
        if (!File.Exists(path))
        {
            throw new SourceFormatException($"ATLAS file '{path}' does not exist.");
        }

        using var reader = OpenReader(path);
        foreach (var column in RequiredColumns)
        {
            if (!reader.Header.ColNames.Contains(column))
            {
                throw new SourceFormatException($"ATLAS file '{path}' has no column '{column}'.");
            }
        }

        var todayIso = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var platforms = new List<AtlasPlatform>();
        var counts = new AtlasFilterCounts();
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            counts.Raw++;
            if (row.ColCount != reader.Header.ColNames.Count)
            {
                Malformed(counts, path, line, $"{row.ColCount} fields instead of {reader.Header.ColNames.Count}");
                continue;
            }

            var sloid = row["sloid"].ToString().Trim();
            if (sloid.Length == 0)
            {
                Malformed(counts, path, line, "empty sloid");
                continue;
            }

            if (!TryCoordinate(row["wgs84North"].Span, out var lat) || !TryCoordinate(row["wgs84East"].Span, out var lon))
            {
                Malformed(counts, path, line, "wgs84North/wgs84East is not a finite number");
                continue;
            }

            if (row["uicCountryCode"].ToString().Trim() != "85")
            {
                counts.NotSwiss++;
                continue;
            }

            // ISO dates compare as strings; 9999-12-31 stands for "open-ended".
            var validTo = row["validTo"].ToString().Trim();
            if (string.CompareOrdinal(validTo.Length >= 10 ? validTo[..10] : validTo, todayIso) < 0)
            {
                counts.Expired++;
                continue;
            }

            if (row["trafficPointElementType"].ToString().Trim() != "BOARDING_PLATFORM")
            {
                counts.NotBoardingPlatform++;
                continue;
            }

            platforms.Add(new AtlasPlatform(
                sloid,
                row["number"].ToString().Trim(),
                row["designation"].ToString().Trim(),
                row["designationOfficial"].ToString().Trim(),
                row["servicePointBusinessOrganisationAbbreviationEn"].ToString().Trim(),
                lat,
                lon));
        }

        if (counts.Raw == 0)
        {
            throw new SourceFormatException($"ATLAS file '{path}' has a header but no rows.");
        }

        return new AtlasReadResult(platforms, counts);
    }

    private static SepReader OpenReader(string path)
    {
        try
        {
            return Sep.New(';').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(path);
        }
        catch (Exception ex) when (ex is not SourceFormatException)
        {
            throw new SourceFormatException($"ATLAS file '{path}' cannot be read as a ';'-separated CSV: {ex.Message}", ex);
        }
    }

    private static bool TryCoordinate(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private void Malformed(AtlasFilterCounts counts, string path, int line, string reason)
    {
        counts.Malformed++;
        if (counts.Malformed <= MaxLoggedExamples)
        {
            logger.LogWarning("Skipping malformed ATLAS row {File}:{Line}: {Reason}", path, line, reason);
        }
    }
}

public sealed record AtlasReadResult(IReadOnlyList<AtlasPlatform> Platforms, AtlasFilterCounts Counts);

/// <summary>How many rows each filter removed, in the order they are applied.</summary>
public sealed class AtlasFilterCounts
{
    public int Raw { get; set; }
    public int Malformed { get; set; }
    public int NotSwiss { get; set; }
    public int Expired { get; set; }
    public int NotBoardingPlatform { get; set; }
}
