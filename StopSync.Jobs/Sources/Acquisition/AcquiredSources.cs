namespace StopSync.Jobs.Sources.Acquisition;

public enum SourceKind
{
    Atlas,
    Gtfs,
    Osm,
}

public enum AcquisitionOutcome
{
    Downloaded,

    Reused,

    Local,
}

public enum SourceAction
{
    Local,

    Reuse,

    Download,
}

/// <param name="FilePath">The configured local file, else the file in the cache directory.</param>
/// <param name="Snapshot">This run's freshness probe; null for OSM and for local files.</param>
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

/// <param name="Pending">What <see cref="SourceAcquisition.CommitAsync"/> records once the run has read the file.</param>
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
