namespace StopSync.Jobs.Sources.Acquisition;

public enum SourceKind
{
    Atlas,
    Gtfs,
    Osm,
}

public enum AcquisitionOutcome
{
    /// <summary>Fetched in this run (OSM always is).</summary>
    Downloaded,

    /// <summary>The cached copy, because the source's validators are unchanged.</summary>
    Reused,

    /// <summary>A configured local file, used in place.</summary>
    Local,
}

/// <summary>What the fetch step is to do with a source, as the check step decided.</summary>
public enum SourceAction
{
    /// <summary>Use the configured local file in place.</summary>
    Local,

    /// <summary>Keep the cached file: its validators are unchanged.</summary>
    Reuse,

    /// <summary>Fetch the file (OSM is always fetched).</summary>
    Download,
}

/// <summary>The check step's decision for one source.</summary>
/// <param name="FilePath">The configured local file, else the file in the cache directory.</param>
/// <param name="Url">The address to fetch from (the Overpass endpoint for OSM); null for local files.</param>
/// <param name="Snapshot">This run's freshness probe; null for OSM and for local files.</param>
/// <param name="Cached">The source's entry in <c>sources.json</c> when it was checked.</param>
/// <param name="Reason">Why the source is reused or downloaded, for the log.</param>
public sealed record SourcePlan(
    SourceKind Source,
    SourceAction Action,
    string FilePath,
    Uri? Url,
    SourceSnapshot? Snapshot,
    SourceCacheEntry? Cached,
    string Reason);

public sealed record AcquisitionPlan(SourcePlan Atlas, SourcePlan Gtfs, SourcePlan Osm)
{
    public IReadOnlyList<SourcePlan> All => [Atlas, Gtfs, Osm];

    public int Count(SourceAction action) => All.Count(p => p.Action == action);
}

/// <param name="Snapshot">The freshness probe of this run; null for OSM and for local files.</param>
/// <param name="Bytes">The size of the file at <paramref name="FilePath"/>.</param>
/// <param name="Duration">The time the fetch step spent on the source.</param>
/// <param name="Pending">
/// The entry <see cref="SourceAcquisition.CommitAsync"/> records in <c>sources.json</c> once the run has read the file;
/// null when there is nothing to record (local files, match-import).
/// </param>
public sealed record AcquiredSource(
    SourceKind Source,
    string FilePath,
    AcquisitionOutcome Outcome,
    SourceSnapshot? Snapshot,
    long Bytes,
    TimeSpan Duration,
    SourceCacheEntry? Pending = null);

public sealed record AcquiredSources(AcquiredSource Atlas, AcquiredSource Gtfs, AcquiredSource Osm)
{
    /// <summary>Both ATLAS and GTFS are the cached copies, so their preprocessing outputs may be reused too.</summary>
    public bool AtlasAndGtfsReused => Atlas.Outcome == AcquisitionOutcome.Reused && Gtfs.Outcome == AcquisitionOutcome.Reused;
}
