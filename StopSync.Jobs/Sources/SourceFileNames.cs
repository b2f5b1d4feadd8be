using StopSync.Jobs.Sources.Acquisition;
namespace StopSync.Jobs.Sources;

/// <summary>
/// The one name of each source file, wherever it is written: the download cache, a generated dataset, and the folder
/// that <c>match</c> reads. A dataset written by the generator can therefore be matched or used as the cache as it is.
/// </summary>
public static class SourceFileNames
{
    public const string Atlas = "atlas-traffic-points.csv";
    public const string Osm = "osm-stops.xml";
    public const string Gtfs = "gtfs.zip";

    public static string Of(SourceKind source) => source switch
    {
        SourceKind.Atlas => Atlas,
        SourceKind.Gtfs => Gtfs,
        _ => Osm,
    };
}
