using System.IO.Compression;
using Microsoft.Extensions.Logging;
using nietras.SeparatedValues;

namespace StopSync.Jobs.Sources.Gtfs;

/// <summary>Entries are found by file name, as feeds may wrap them in a folder; nothing is extracted to disk.</summary>
internal sealed class GtfsArchive : IDisposable
{
    public const string Stops = "stops.txt";
    public const string Routes = "routes.txt";
    public const string Trips = "trips.txt";
    public const string StopTimes = "stop_times.txt";
    public const string Agency = "agency.txt";

    private static readonly string[] RequiredFiles = [Stops, Routes, Trips, StopTimes];
    private static readonly string[] OptionalFiles = [Agency];

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;

    private GtfsArchive(string zipPath, ZipArchive zip, Dictionary<string, ZipArchiveEntry> entries)
    {
        ZipPath = zipPath;
        _zip = zip;
        _entries = entries;
    }

    public string ZipPath { get; }

    public static GtfsArchive Open(string zipPath)
    {
        if (!File.Exists(zipPath))
        {
            throw new SourceFormatException($"GTFS zip '{zipPath}' does not exist.");
        }

        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(zipPath);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new SourceFormatException($"GTFS zip '{zipPath}' is not a readable zip archive: {ex.Message}", ex);
        }

        try
        {
            if (zip.Entries.Count == 0)
            {
                throw new SourceFormatException($"GTFS zip '{zipPath}' is empty: it has no entries.");
            }

            // The first entry with each name wins, as in upstream; directories have an empty Name.
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (RequiredFiles.Contains(entry.Name, StringComparer.Ordinal) || OptionalFiles.Contains(entry.Name, StringComparer.Ordinal))
                {
                    entries.TryAdd(entry.Name, entry);
                }
            }

            var missing = RequiredFiles.Where(name => !entries.ContainsKey(name)).ToList();
            if (missing.Count > 0)
            {
                throw new SourceFormatException($"GTFS zip '{zipPath}' lacks the required file(s) {string.Join(", ", missing)}.");
            }

            return new GtfsArchive(zipPath, zip, entries);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public bool Has(string fileName) => _entries.ContainsKey(fileName);

    public GtfsTable OpenTable(string fileName, IReadOnlyList<string> requiredColumns, ILogger logger)
    {
        var entry = _entries[fileName];
        SepReader reader;
        try
        {
            reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).From(new CrcCheckingStream(entry.Open(), entry.Crc32, entry.Length));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
        {
            throw new SourceFormatException($"GTFS zip '{ZipPath}' entry '{entry.FullName}' cannot be read as CSV: {ex.Message}", ex);
        }

        var table = new GtfsTable(ZipPath, entry.FullName, reader, logger);
        try
        {
            table.CheckHeader(requiredColumns);
            return table;
        }
        catch
        {
            table.Dispose();
            throw;
        }
    }

    public void Dispose() => _zip.Dispose();
}

internal sealed class GtfsTable(string zipPath, string entryName, SepReader reader, ILogger logger) : IDisposable
{
    private const int MaxLoggedExamples = 5;
    public const int CancellationCheckMask = (1 << 16) - 1;

    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);

    public SepReader Reader => reader;

    public int ColumnCount => reader.Header.ColNames.Count;

    public int Rows { get; set; }

    public int Malformed { get; private set; }

    public static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row[0].Span.IsWhiteSpace();

    /// <summary>A cancellation check every 65,536 rows stays cheap on tens of millions of stop_times.</summary>
    public bool Accept(SepReader.Row row, CancellationToken ct)
    {
        if (IsBlank(row))
        {
            return false;
        }

        if ((++Rows & CancellationCheckMask) == 0)
        {
            ct.ThrowIfCancellationRequested();
        }

        if (row.ColCount != ColumnCount)
        {
            Skip(row.LineNumberFrom, $"{row.ColCount} fields instead of {ColumnCount}");
            return false;
        }

        return true;
    }

    public GtfsFileCounts Counts => new(Rows, Malformed);

    public void CheckHeader(IReadOnlyList<string> requiredColumns)
    {
        if (reader.Header.IsEmpty)
        {
            throw Invalid("is empty: it has no header row");
        }

        var names = reader.Header.ColNames;
        for (var i = 0; i < names.Count; i++)
        {
            // Header names are matched trimmed and without a byte-order mark, which some exports leave in place.
            _columns.TryAdd(names[i].Trim().TrimStart('\uFEFF'), i);
        }

        var missing = requiredColumns.Where(c => !_columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw Invalid($"lacks the required column(s) {string.Join(", ", missing)}");
        }
    }

    /// <summary>The index of a column, or -1 when the optional column is absent.</summary>
    public int Column(string name) => _columns.GetValueOrDefault(name, -1);

    public void Skip(int line, string reason)
    {
        Malformed++;
        if (Malformed <= MaxLoggedExamples)
        {
            logger.LogWarning("Skipping malformed GTFS row {ZipPath} entry {Entry} line {Line}: {Reason}", zipPath, entryName, line, reason);
        }
    }

    public void LogMalformedTotal()
    {
        if (Malformed > MaxLoggedExamples)
        {
            logger.LogWarning("Skipped {Malformed} malformed rows in {ZipPath} entry {Entry}; the first {Shown} are logged above",
                Malformed, zipPath, entryName, MaxLoggedExamples);
        }
    }

    public SourceFormatException Invalid(string reason, Exception? inner = null) =>
        new($"GTFS zip '{zipPath}' entry '{entryName}' {reason}.", inner);

    public SourceFormatException Corrupt(Exception inner) => Invalid($"cannot be read (corrupt data?): {inner.Message}", inner);

    public void Dispose() => reader.Dispose();
}
