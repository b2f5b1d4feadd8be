using StopSync.Jobs.Sources.Acquisition;
namespace StopSync.Jobs.Sources;

/// <summary>One name per source everywhere, so a generated dataset can be matched or used as the cache as it is.</summary>
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
