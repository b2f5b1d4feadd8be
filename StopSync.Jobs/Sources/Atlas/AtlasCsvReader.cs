using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using StopSync.Jobs.Sources.Geography;
using nietras.SeparatedValues;

namespace StopSync.Jobs.Sources.Atlas;

/// <summary>The format, filters and malformed rows of docs/06-sources.md#atlas-traffic-points.</summary>
public sealed class AtlasCsvReader(SwissBorder border, ILogger<AtlasCsvReader> logger)
{
    public const string BoardingPlatform = "BOARDING_PLATFORM";
    public const string BoardingArea = "BOARDING_AREA";
    private const int MaxLoggedExamples = 5;

    // ATLAS writes "2024-11-21 09:06:51"; the ISO 'T' form and a bare date are accepted too.
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd"];

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

        if (new FileInfo(path).Length == 0)
        {
            throw new SourceFormatException($"ATLAS file '{path}' is empty.");
        }

        using var source = OpenCsv(path, out var name);
        using var reader = OpenReader(source, name);
        foreach (var column in RequiredColumns)
        {
            if (!reader.Header.ColNames.Contains(column))
            {
                throw new SourceFormatException($"ATLAS file '{name}' has no column '{column}'.");
            }
        }

        var columns = new Columns(reader.Header);
        var todayIso = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var platforms = new List<AtlasPlatform>();
        var counts = new AtlasFilterCounts();
        foreach (var row in reader)
        {
            counts.RawTotal++;
            if (Parse(row, columns, out var reason) is not { } parsed)
            {
                counts.Malformed++;
                if (counts.Malformed <= MaxLoggedExamples)
                {
                    logger.LogWarning("Skipping malformed ATLAS row {File}:{Line}: {Reason}", name, row.LineNumberFrom, reason);
                }

                continue;
            }

            counts.CountType(parsed.Type);
            if (parsed.CountryCode != "85")
            {
                counts.EliminatedByUicCountry++;
            }
            else if (!border.Contains(parsed.Platform.Lat, parsed.Platform.Lon))
            {
                counts.EliminatedByBorder++;
            }
            else if (string.CompareOrdinal(parsed.ValidTo, todayIso) < 0)
            {
                // ISO dates compare as strings; 9999-12-31 stands for "open-ended".
                counts.EliminatedByValidity++;
            }
            else if (parsed.Type != BoardingPlatform)
            {
                counts.EliminatedByType++;
            }
            else
            {
                platforms.Add(WithDetails(parsed, row, columns, name, counts));
            }
        }

        if (counts.RawTotal == 0)
        {
            throw new SourceFormatException($"ATLAS file '{name}' has a header but no rows.");
        }

        if (counts.Malformed > 0)
        {
            logger.LogWarning("ATLAS file {File}: {Malformed} of {Rows} rows were malformed and skipped", name, counts.Malformed, counts.RawTotal);
        }

        if (counts.MalformedDetails > 0)
        {
            logger.LogWarning("ATLAS file {File}: {Rows} platforms kept with malformed optional values (stored as null)", name, counts.MalformedDetails);
        }

        return new AtlasReadResult(platforms, counts);
    }

    private static ParsedRow? Parse(SepReader.Row row, Columns c, out string reason)
    {
        if (row.ColCount != c.Count)
        {
            reason = $"{row.ColCount} fields instead of {c.Count}";
            return null;
        }

        var sloid = row[c.Sloid].ToString().Trim();
        if (sloid.Length == 0)
        {
            reason = "empty sloid";
            return null;
        }

        if (!TryCoordinate(row[c.Lat].Span, out var lat) || !TryCoordinate(row[c.Lon].Span, out var lon) || lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            reason = "wgs84North/wgs84East is not a finite coordinate";
            return null;
        }

        var type = row[c.Type].ToString().Trim();
        if (type is not (BoardingPlatform or BoardingArea))
        {
            reason = $"unknown trafficPointElementType '{type}'";
            return null;
        }

        var validTo = row[c.ValidTo].ToString().Trim();
        if (validTo.Length < 10 || !DateOnly.TryParseExact(validTo[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            reason = $"validTo '{validTo}' is not a date";
            return null;
        }

        reason = "";
        var platform = new AtlasPlatform(
            sloid,
            row[c.Number].ToString().Trim(),
            row[c.Designation].ToString().Trim(),
            row[c.Name].ToString().Trim(),
            row[c.Operator].ToString().Trim(),
            lat,
            lon,
            c.OperatorId < 0 ? "" : row[c.OperatorId].ToString().Trim(),
            c.OperatorName < 0 ? "" : row[c.OperatorName].ToString().Trim());
        return new ParsedRow(platform, row[c.Country].ToString().Trim(), validTo[..10], type);
    }

    /// <summary>
    /// Read only for the platforms kept, so filtered rows cost nothing. A malformed optional value becomes null and never
    /// drops the platform: these columns serve reviewers, not matching.
    /// </summary>
    private AtlasPlatform WithDetails(ParsedRow parsed, SepReader.Row row, Columns c, string file, AtlasFilterCounts counts)
    {
        List<string>? invalid = null;
        var details = new AtlasPlatformDetails(
            Text(row, c.DesignationOperational),
            Text(row, c.ParentServicePoint),
            parsed.Type,
            Date(row, c.ValidFrom, "validFrom", ref invalid),
            DateOnly.ParseExact(parsed.ValidTo, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Number(row, c.CompassDirection, "compassDirection", 0, 360, ref invalid),
            Number(row, c.Lv95East, "lv95East", double.MinValue, double.MaxValue, ref invalid),
            Number(row, c.Lv95North, "lv95North", double.MinValue, double.MaxValue, ref invalid),
            Timestamp(row, c.EditionDate, "editionDate", ref invalid));
        if (invalid is not null)
        {
            counts.MalformedDetails++;
            if (counts.MalformedDetails <= MaxLoggedExamples)
            {
                logger.LogWarning("ATLAS row {File}:{Line} kept with malformed {Values} stored as null", file, row.LineNumberFrom, string.Join(", ", invalid));
            }
        }

        return parsed.Platform with { Details = details };
    }

    private static string? Text(SepReader.Row row, int column)
    {
        if (column < 0)
        {
            return null;
        }

        var text = row[column].Span.Trim();
        return text.IsEmpty ? null : text.ToString();
    }

    private static double? Number(SepReader.Row row, int column, string name, double min, double max, ref List<string>? invalid)
    {
        var text = column < 0 ? default : row[column].Span.Trim();
        if (text.IsEmpty)
        {
            return null;
        }

        if (TryCoordinate(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        (invalid ??= []).Add($"{name} '{text}'");
        return null;
    }

    private static DateOnly? Date(SepReader.Row row, int column, string name, ref List<string>? invalid)
    {
        var text = column < 0 ? default : row[column].Span.Trim();
        if (text.IsEmpty)
        {
            return null;
        }

        // Some exports add a time to the date; the day is what validity means.
        if (text.Length >= 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        (invalid ??= []).Add($"{name} '{text}'");
        return null;
    }

    private static DateTime? Timestamp(SepReader.Row row, int column, string name, ref List<string>? invalid)
    {
        var text = column < 0 ? default : row[column].Span.Trim();
        if (text.IsEmpty)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
        }

        (invalid ??= []).Add($"{name} '{text}'");
        return null;
    }

    /// <summary>The CSV itself, or the first CSV inside the older ZIP export.</summary>
    private static Stream OpenCsv(string path, out string name)
    {
        var stream = File.OpenRead(path);
        Span<byte> signature = stackalloc byte[4];
        var read = stream.Read(signature);
        stream.Position = 0;
        if (read < 4 || signature[0] != (byte)'P' || signature[1] != (byte)'K' || signature[2] != 3 || signature[3] != 4)
        {
            name = path;
            return stream;
        }

        try
        {
            var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            var entry = zip.Entries.FirstOrDefault(e => e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                ?? throw new SourceFormatException($"ATLAS ZIP '{path}' holds no .csv file.");
            name = $"{path}!{entry.FullName}";
            return new ZipEntryStream(zip, entry.Open());
        }
        catch (InvalidDataException ex)
        {
            stream.Dispose();
            throw new SourceFormatException($"ATLAS ZIP '{path}' is corrupt: {ex.Message}", ex);
        }
    }

    private static SepReader OpenReader(Stream stream, string name)
    {
        try
        {
            return Sep.New(';').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).From(stream);
        }
        catch (Exception ex) when (ex is not SourceFormatException)
        {
            throw new SourceFormatException($"ATLAS file '{name}' cannot be read as a ';'-separated CSV: {ex.Message}", ex);
        }
    }

    private static bool TryCoordinate(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private sealed record ParsedRow(AtlasPlatform Platform, string CountryCode, string ValidTo, string Type);

    private sealed class Columns(SepReaderHeader header)
    {
        public int Count { get; } = header.ColNames.Count;
        public int Sloid { get; } = header.IndexOf("sloid");
        public int Country { get; } = header.IndexOf("uicCountryCode");
        public int Number { get; } = header.IndexOf("number");
        public int ValidTo { get; } = header.IndexOf("validTo");
        public int Designation { get; } = header.IndexOf("designation");
        public int Type { get; } = header.IndexOf("trafficPointElementType");
        public int Lon { get; } = header.IndexOf("wgs84East");
        public int Lat { get; } = header.IndexOf("wgs84North");
        public int Name { get; } = header.IndexOf("designationOfficial");
        public int Operator { get; } = header.IndexOf("servicePointBusinessOrganisationAbbreviationEn");
        public int OperatorId { get; } = Optional(header, "servicePointBusinessOrganisation");
        public int OperatorName { get; } = Optional(header, "servicePointBusinessOrganisationDescriptionEn");
        public int DesignationOperational { get; } = Optional(header, "designationOperational");
        public int ParentServicePoint { get; } = Optional(header, "parentSloidServicePoint");
        public int ValidFrom { get; } = Optional(header, "validFrom");
        public int CompassDirection { get; } = Optional(header, "compassDirection");
        public int Lv95East { get; } = Optional(header, "lv95East");
        public int Lv95North { get; } = Optional(header, "lv95North");
        public int EditionDate { get; } = Optional(header, "editionDate");

        /// <summary>-1 when an older export lacks the column.</summary>
        private static int Optional(SepReaderHeader header, string name) => header.ColNames.ToList().IndexOf(name);
    }

    /// <summary>Keeps the archive open as long as the entry is read.</summary>
    private sealed class ZipEntryStream(ZipArchive archive, Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                archive.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

public sealed record AtlasReadResult(IReadOnlyList<AtlasPlatform> Platforms, AtlasFilterCounts Counts)
{
    public IReadOnlyList<AtlasDuplicateGroup> DuplicateGroups { get; } = AtlasDuplicateGroup.Find(Platforms);
}

/// <summary>How many rows each filter removed, in the order the filters apply (the upstream stats' names).</summary>
public sealed class AtlasFilterCounts
{
    public int RawTotal { get; set; }
    public int Malformed { get; set; }
    public int EliminatedByUicCountry { get; set; }
    public int EliminatedByBorder { get; set; }
    public int EliminatedByValidity { get; set; }
    public int EliminatedByType { get; set; }

    /// <summary>Kept platforms with at least one malformed optional value (stored as null, the platform kept).</summary>
    public int MalformedDetails { get; set; }
    public Dictionary<string, int> TypeCounts { get; } = new(StringComparer.Ordinal);

    public int AfterUicCountryFilter => RawTotal - Malformed - EliminatedByUicCountry;
    public int AfterBorderFilter => AfterUicCountryFilter - EliminatedByBorder;
    public int AfterValidityFilter => AfterBorderFilter - EliminatedByValidity;
    public int AfterTypeFilter => AfterValidityFilter - EliminatedByType;

    internal void CountType(string type) => TypeCounts[type] = TypeCounts.GetValueOrDefault(type) + 1;
}
