using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Tests.Infrastructure;
using static StopSync.Tests.Jobs.Sources.Gtfs.GtfsFeedBuilder;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>
/// The two real Swiss GTFS subsets in the test-data folder's swiss-gtfs-learning-pt-routing (old stop_id shape
/// <c>8500218:0:7</c>, parents <c>8500218P</c>). Row counts are those SOURCE.txt lists. The direction labels were
/// derived independently with a short Python check over the unzipped files: per trip the stops at the lowest and
/// highest stop_sequence, then per (route_id, direction_id) the most frequent "first → last" name pair.
/// </summary>
public sealed class GtfsRealSampleTests
{
    private const string Folder = "swiss-gtfs-learning-pt-routing";

    // The sample has no ATLAS data of its own; these rows stand in for Olten platforms 7 and 8 and Triengen, Käserei.
    private static readonly AtlasPlatform[] Atlas2019 =
    [
        Atlas("ch:1:sloid:218:0:7", "8500218", "7", 47.3522, 7.9077),
        Atlas("ch:1:sloid:218:0:8", "8500218", "8", 47.3520, 7.9077),
        Atlas("ch:1:sloid:72668", "8572668", "", 47.2365, 8.0748),
    ];

    [Fact]
    public void Read_ReadsEveryRowOfThe2019Sample_WithTheCountsOfSourceTxt()
    {
        var result = Read(TestEnvironment.SharedData(Folder, "gtfsfp20192018-12-05_small.zip"), Atlas2019);

        var counts = result.Counts;
        Assert.Equal(new GtfsFileCounts(100, 0), counts.StopsFile);
        Assert.Equal(new GtfsFileCounts(23_650, 0), counts.StopTimesFile);
        Assert.Equal(new GtfsFileCounts(2_272, 0), counts.TripsFile);
        Assert.Equal(new GtfsFileCounts(5, 0), counts.RoutesFile);
        Assert.Equal(100, counts.SwissStops);
        Assert.Equal(2_272, counts.TripsThroughSwissStops);
        Assert.Equal((0, 0, 0), (counts.StopTimesWithUnknownTrip, counts.StopTimesWithUnknownStop, counts.TripsWithUnknownRoute));
    }

    [Fact]
    public void Read_ParsesOldShapeStopIdsAndParents_In2019Sample()
    {
        var result = Read(TestEnvironment.SharedData(Folder, "gtfsfp20192018-12-05_small.zip"), Atlas2019);

        var olten7 = result.StopOf("8500218:0:7");
        Assert.Equal(("Olten", "8500218", "7", "7"), (olten7.StopName, olten7.UicNumber, olten7.LocalRef, olten7.NormalizedLocalRef));
        Assert.Equal(("8500218P", GtfsIdentityLevel.Platform), (olten7.ParentStation, olten7.IdentityLevel));
        Assert.Equal(47.3522319182299, olten7.Lat, 12);
        Assert.Equal(7.90768978414808, olten7.Lon, 12);

        // Parents are stations with no UIC of their own ("8500218P" is not all digits), so nothing resolves them.
        var parent = result.StopOf("8500218P");
        Assert.Equal(("1", GtfsIdentityLevel.Station, null), (parent.LocationType, parent.IdentityLevel, parent.UicNumber));
        Assert.Equal(GtfsResolutionMethod.Unmatched, result.ResolutionOf("8500218P").Method);
        Assert.Equal(11, result.Stops.Count(s => s.IdentityLevel == GtfsIdentityLevel.Station));
        Assert.Equal(35, result.Stops.Count(s => s.IdentityLevel == GtfsIdentityLevel.Platform));
        Assert.Equal(54, result.Stops.Count(s => s.IdentityLevel == GtfsIdentityLevel.Stop));
    }

    [Fact]
    public void Read_ResolvesAndLabelsOltenAndTriengen_In2019Sample()
    {
        var result = Read(TestEnvironment.SharedData(Folder, "gtfsfp20192018-12-05_small.zip"), Atlas2019);

        Assert.Equal(["ch:1:sloid:218:0:7"], result.ResolutionOf("8500218:0:7").Sloids);
        Assert.Equal(GtfsResolutionMethod.UicPlatform, result.ResolutionOf("8500218:0:8").Method);
        Assert.Equal(GtfsResolutionMethod.UniqueNumber, result.ResolutionOf("8572668").Method);
        Assert.Equal(3, result.RouteEvidenceBySloid.Count);

        // Olten platform 7 is only served by the IC 1 towards Zürich; 10 of its 24 trips run Genève-Aéroport → Zürich HB.
        Assert.Equal(
            [new RouteEvidence("6-1-j19-1", "6-1-jXX-1", "1", null, "0", "Genève-Aéroport → Zürich HB")],
            result.RouteEvidenceBySloid["ch:1:sloid:218:0:7"]);
        Assert.Equal(
            [new RouteEvidence("6-1-j19-1", "6-1-jXX-1", "1", null, "1", "Zürich HB → Bern")],
            result.RouteEvidenceBySloid["ch:1:sloid:218:0:8"]);

        // Bus 85 in both directions: 15 of 17 trips Triengen, Dorf → Schöftland and 13 of 17 back.
        Assert.Equal(
            [
                new RouteEvidence("1-85-j19-1", "1-85-jXX-1", "85", null, "0", "Triengen, Dorf → Schöftland, Bahnhof"),
                new RouteEvidence("1-85-j19-1", "1-85-jXX-1", "85", null, "1", "Schöftland, Bahnhof → Triengen, Dorf"),
            ],
            result.RouteEvidenceBySloid["ch:1:sloid:72668"]);
    }

    [Fact]
    public void Read_ListsRoutesAndDirections_In2019Sample()
    {
        var result = Read(TestEnvironment.SharedData(Folder, "gtfsfp20192018-12-05_small.zip"), Atlas2019);

        Assert.Equal(["1-85-j19-1", "26-759-j19-1", "6-1-j19-1", "61-265-Y-j19-1", "90-73-Y-j19-1"], result.Routes.Select(r => r.RouteId));
        var gondola = Assert.Single(result.Routes, r => r.RouteId == "61-265-Y-j19-1");
        Assert.Equal(("61-265-Y-jXX-1", "265-Y", "Gondelbahn", "1300"), (gondola.RouteIdNormalized, gondola.ShortName, gondola.Description, gondola.RouteType));
        Assert.Equal(7, result.Directions.Count);
        Assert.Contains(new GtfsRouteDirection("61-265-Y-j19-1", "0", "Savoleyres → La Tzoumaz", 1_443), result.Directions);
        Assert.Contains(new GtfsRouteDirection("26-759-j19-1", "1", "Wangen b D'dorf, Dorfplatz → Zürich Flughafen, Bahnhof", 750), result.Directions);
    }

    [Fact]
    public void Read_ReadsEveryRowOfThe2020Sample_WithQuotedHeaderAndValues()
    {
        var result = Read(TestEnvironment.SharedData(Folder, "small_gtfs_feed.zip"));

        var counts = result.Counts;
        Assert.Equal(new GtfsFileCounts(137, 0), counts.StopsFile);
        Assert.Equal(new GtfsFileCounts(46_471, 0), counts.StopTimesFile);
        Assert.Equal(new GtfsFileCounts(2_114, 0), counts.TripsFile);
        Assert.Equal(new GtfsFileCounts(4, 0), counts.RoutesFile);
        Assert.Equal(24, result.Stops.Count(s => s.IdentityLevel == GtfsIdentityLevel.Station));
        var basel = result.StopOf("8500010:0:10");
        Assert.Equal(("Basel SBB", "8500010", "10", "8500010P"), (basel.StopName, basel.UicNumber, basel.LocalRef, basel.ParentStation));
        Assert.Equal(137, counts.Unmatched);
        Assert.Empty(result.RouteEvidenceBySloid);
    }

    [Fact]
    public void Read_LabelsDirectionsWithGlobalTermini_WhenTheBorderDropsATerminus()
    {
        // The border stand-in drops every stop north of 47.5° (the 16 Basel SBB rows); trips still end "→ Basel SBB",
        // because the label uses each trip's own first and last stop, Swiss or not. 103 of 141 trips run Chur → Basel SBB.
        var result = Read(TestEnvironment.SharedData(Folder, "small_gtfs_feed.zip"), border: (lat, _) => lat < 47.5);

        Assert.Equal((16, 121), (result.Counts.OutsideBorder, result.Counts.SwissStops));
        Assert.DoesNotContain(result.Stops, s => s.StopName == "Basel SBB");
        Assert.Contains(new GtfsRouteDirection("11-3-A-j20-1", "0", "Chur → Basel SBB", 141), result.Directions);
        Assert.Contains(new GtfsRouteDirection("11-3-A-j20-1", "1", "Basel SBB → Chur", 129), result.Directions);
        Assert.Contains(new GtfsRouteDirection("6-10-j20-1", "0", "Schliern, Bus-Endstation → Ostermundigen, Rüti", 881), result.Directions);
    }
}
