namespace StopSync.Jobs.Pipeline.Acquisition;

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

/// <param name="Snapshot">The freshness probe of this run; null for OSM and for local files.</param>
/// <param name="Bytes">The size of the file at <paramref name="FilePath"/>.</param>
public sealed record AcquiredSource(
    SourceKind Source,
    string FilePath,
    AcquisitionOutcome Outcome,
    SourceSnapshot? Snapshot,
    long Bytes,
    TimeSpan Duration);

public sealed record AcquiredSources(AcquiredSource Atlas, AcquiredSource Gtfs, AcquiredSource Osm)
{
    /// <summary>Both ATLAS and GTFS are the cached copies, so their preprocessing outputs may be reused too.</summary>
    public bool AtlasAndGtfsReused => Atlas.Outcome == AcquisitionOutcome.Reused && Gtfs.Outcome == AcquisitionOutcome.Reused;
}
