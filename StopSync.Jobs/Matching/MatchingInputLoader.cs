using Microsoft.Extensions.Logging;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Geography;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Matching;

public sealed class MatchingInputLoader(ILoggerFactory loggers, TimeProvider clock)
{
    private readonly SwissBorder _border = new();

    public AtlasReadResult ReadAtlas(string path) =>
        new AtlasCsvReader(_border, loggers.CreateLogger<AtlasCsvReader>()).Read(path, SwissCalendar.Today(clock));

    public OsmReadResult ReadOsm(string path) =>
        new OverpassXmlReader(new OperatorNormalizer(), loggers.CreateLogger<OverpassXmlReader>()).Read(path);

    public GtfsReadResult ReadGtfs(string path, IReadOnlyList<AtlasPlatform> atlas, CancellationToken ct) =>
        new GtfsReader(loggers.CreateLogger<GtfsReader>()).Read(path, atlas, _border.Contains, ct);

    /// <param name="rulings">Reviewers' manual matches and forbidden pairs; null for none.</param>
    public static MatchingInput Create(
        AtlasReadResult atlas, OsmReadResult osm, GtfsReadResult? gtfs, Action<string, TimeSpan>? timings = null, ReviewerRulings? rulings = null)
    {
        ArgumentNullException.ThrowIfNull(atlas);
        ArgumentNullException.ThrowIfNull(osm);
        return new MatchingInput(atlas.Platforms, osm.Elements, osm.Relations, gtfs is null ? null : RouteEvidence(gtfs), timings)
        {
            AtlasRoutes = gtfs?.Routes.Select(r => new AtlasRoute(r.RouteId, r.RouteIdNormalized)).ToList(),
            Rulings = rulings ?? ReviewerRulings.None,
        };
    }

    public static Dictionary<string, IReadOnlyList<AtlasRouteEvidence>> RouteEvidence(GtfsReadResult gtfs)
    {
        ArgumentNullException.ThrowIfNull(gtfs);
        var result = new Dictionary<string, IReadOnlyList<AtlasRouteEvidence>>(gtfs.RouteEvidenceBySloid.Count, StringComparer.Ordinal);
        foreach (var (sloid, entries) in gtfs.RouteEvidenceBySloid)
        {
            result[sloid] = [.. entries.Select(e => new AtlasRouteEvidence(
                e.RouteId, e.RouteIdNormalized, e.DirectionId, e.DirectionName, e.RouteShortName, e.RouteLongName))];
        }

        return result;
    }
}
