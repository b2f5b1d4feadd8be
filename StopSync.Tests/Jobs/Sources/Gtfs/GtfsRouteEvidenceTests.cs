using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Gtfs;
using static StopSync.Tests.Jobs.Sources.Gtfs.GtfsFeedBuilder;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>Route evidence per sloid and direction labels (docs/06-sources.md#gtfs-timetable).</summary>
public sealed class GtfsRouteEvidenceTests : IDisposable
{
    private static readonly AtlasPlatform[] AtlasRows =
    [
        Atlas("ch:1:sloid:10:1:1", "8500010", "1"),
        Atlas("ch:1:sloid:3000:2:2", "8503000", "2"),
        Atlas("ch:1:sloid:3000:3:3", "8503000", "3"),
        Atlas("ch:1:sloid:7000:5:5", "8507000", "5"),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-gtfs-routes-").FullName;

    /// <summary>
    /// R-j25-1 direction 0: T1 and T2 start abroad at Basel Bad Bf (T2's rows out of order, and at Basel SBB via
    /// "8500010:0:01", which resolves to the same sloid as ":1"); T3 runs Basel SBB → an unknown stop. Direction 1: T4.
    /// X-j25-1 (absent from routes.txt, no direction): T5. T6–T8 never touch a Swiss stop, so they must not vote.
    /// </summary>
    private GtfsReadResult ReadFeed() => Read(
        new GtfsFeedBuilder()
            .With("stops.txt",
                "stop_id,stop_name,stop_lat,stop_lon",
                "8000026,Basel Bad Bf,47.567,7.607",
                "8000105,Frankfurt (Main) Hbf,50.107,8.663",
                "8500010:0:1,Basel SBB,47.547,7.589",
                "8500010:0:01,Basel SBB,47.547,7.589",
                "8503000:0:2,Zürich HB,47.378,8.540",
                "8503000:0:3,Zürich HB,47.378,8.540",
                "8507000:0:5,Bern,46.949,7.439")
            .With("routes.txt",
                "route_id,agency_id,route_short_name,route_long_name,route_type",
                "R-j25-1,11,IC3,Basel - Zürich,102")
            .With("trips.txt",
                "route_id,service_id,trip_id,direction_id",
                "R-j25-1,S,T1,0", "R-j25-1,S,T2,0", "R-j25-1,S,T3,0", "R-j25-1,S,T4,1", "X-j25-1,S,T5,",
                "R-j25-1,S,T6,0", "R-j25-1,S,T7,0", "R-j25-1,S,T8,0")
            .With("stop_times.txt",
                "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
                "T1,08:00:00,08:00:00,8000026,1", "T1,08:10:00,08:10:00,8500010:0:1,2", "T1,09:00:00,09:00:00,8503000:0:2,3",
                "T2,09:00:00,09:00:00,8503000:0:2,30", "T2,08:00:00,08:00:00,8000026,10", "T2,08:10:00,08:10:00,8500010:0:01,20",
                "T3,08:10:00,08:10:00,8500010:0:1,1", "T3,09:00:00,09:00:00,8503000:0:2,2", "T3,09:30:00,09:30:00,8599999,3",
                "T4,10:00:00,10:00:00,8503000:0:3,1", "T4,11:00:00,11:00:00,8500010:0:1,2",
                "T5,10:00:00,10:00:00,8507000:0:5,1", "T5,11:00:00,11:00:00,8503000:0:2,2",
                "T6,06:00:00,06:00:00,8000105,1", "T6,08:00:00,08:00:00,8000026,2",
                "T7,06:00:00,06:00:00,8000105,1", "T7,08:00:00,08:00:00,8000026,2",
                "T8,06:00:00,06:00:00,8000105,1", "T8,08:00:00,08:00:00,8000026,2",
                "T404,06:00:00,06:00:00,8503000:0:2,1")
            .WriteTo(_dir),
        AtlasRows);

    [Fact]
    public void Read_GivesOneEvidencePerSloidRouteAndDirection_WhenSeveralStopIdsAndTripsShareThem()
    {
        var result = ReadFeed();

        Assert.Equal(
            [
                new RouteEvidence("R-j25-1", "R-jXX-1", "IC3", "Basel - Zürich", "0", "Basel Bad Bf → Zürich HB"),
                new RouteEvidence("R-j25-1", "R-jXX-1", "IC3", "Basel - Zürich", "1", "Zürich HB → Basel SBB"),
            ],
            result.RouteEvidenceBySloid["ch:1:sloid:10:1:1"]);
        Assert.Equal(
            [
                new RouteEvidence("R-j25-1", "R-jXX-1", "IC3", "Basel - Zürich", "0", "Basel Bad Bf → Zürich HB"),
                new RouteEvidence("X-j25-1", "X-jXX-1", null, null, null, "Bern → Zürich HB"),
            ],
            result.RouteEvidenceBySloid["ch:1:sloid:3000:2:2"]);
        Assert.Equal(["R-j25-1"], result.RouteEvidenceBySloid["ch:1:sloid:3000:3:3"].Select(e => e.RouteId));
        Assert.Equal(["X-j25-1"], result.RouteEvidenceBySloid["ch:1:sloid:7000:5:5"].Select(e => e.RouteId));
        Assert.Equal(4, result.RouteEvidenceBySloid.Count);
    }

    [Fact]
    public void Read_LabelsEachRouteDirectionByItsMostFrequentTermini_CountingOnlyTripsThroughSwissStops()
    {
        var result = ReadFeed();

        Assert.Equal(
            [
                new GtfsRouteDirection("R-j25-1", "0", "Basel Bad Bf → Zürich HB", 3),
                new GtfsRouteDirection("R-j25-1", "1", "Zürich HB → Basel SBB", 1),
                new GtfsRouteDirection("X-j25-1", null, "Bern → Zürich HB", 1),
            ],
            result.Directions);
        Assert.Equal(5, result.Counts.TripsThroughSwissStops);
    }

    [Fact]
    public void Read_CountsOrphanRows_WhenStopTimesOrTripsReferToUnknownIds()
    {
        var counts = ReadFeed().Counts;

        Assert.Equal(1, counts.StopTimesWithUnknownTrip);
        Assert.Equal(1, counts.StopTimesWithUnknownStop);
        Assert.Equal(1, counts.TripsWithUnknownRoute);
        Assert.Equal(new GtfsFileCounts(20, 0), counts.StopTimesFile);
    }

    [Fact]
    public void Read_ListsOnlyRoutesThroughSwissStops_WithBareFamiliesForRoutesMissingFromRoutesTxt()
    {
        var routes = ReadFeed().Routes;

        Assert.Equal(
            [
                new GtfsRoute("R-j25-1", "R-jXX-1", "11", "IC3", "Basel - Zürich", null, "102"),
                new GtfsRoute("X-j25-1", "X-jXX-1", null, null, null, null, null),
            ],
            routes);
    }

    [Fact]
    public void Read_GivesNoEvidence_WhenTheStopIsUnmatched()
    {
        var result = Read(new GtfsFeedBuilder().WriteTo(_dir), [Atlas("ch:1:sloid:1", "8500001", "1")]);

        Assert.Equal(GtfsResolutionMethod.Unmatched, result.ResolutionOf("8503000:0:1").Method);
        Assert.Empty(result.RouteEvidenceBySloid);
        Assert.Single(result.Directions);
    }

    [Fact]
    public void Read_BreaksALabelTie_InFavourOfTheTerminiSeenFirstInTripsTxt()
    {
        var zip = new GtfsFeedBuilder()
            .With("stops.txt", "stop_id,stop_name,stop_lat,stop_lon", "8500001,A,47,8", "8500002,B,47,8", "8500003,C,47,8")
            .With("trips.txt", "route_id,service_id,trip_id,direction_id", "R1,S,second,0", "R1,S,first,0")
            .With("stop_times.txt",
                "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
                "first,08:00:00,08:00:00,8500001,1", "first,08:00:00,08:00:00,8500002,2",
                "second,08:00:00,08:00:00,8500001,1", "second,08:00:00,08:00:00,8500003,2")
            .WriteTo(_dir);

        var direction = Assert.Single(Read(zip).Directions);

        Assert.Equal("A → C", direction.DirectionName);
    }

    [Fact]
    public void Read_CountsTerminiByName_WhenTripsEndAtDifferentPlatformsOfOneStation()
    {
        // B → C comes first in trips.txt, but A → C runs twice (from platforms 1 and 2 of A), so it wins.
        var zip = new GtfsFeedBuilder()
            .With("stops.txt", "stop_id,stop_name,stop_lat,stop_lon", "8500001:0:1,A,47,8", "8500001:0:2,A,47,8", "8500002,B,47,8", "8500003,C,47,8")
            .With("trips.txt", "route_id,service_id,trip_id,direction_id", "R1,S,t1,0", "R1,S,t2,0", "R1,S,t3,0")
            .With("stop_times.txt",
                "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
                "t1,08:00:00,08:00:00,8500002,1", "t1,08:00:00,08:00:00,8500003,2",
                "t2,08:00:00,08:00:00,8500001:0:1,1", "t2,08:00:00,08:00:00,8500003,2",
                "t3,08:00:00,08:00:00,8500001:0:2,1", "t3,08:00:00,08:00:00,8500003,2")
            .WriteTo(_dir);

        var direction = Assert.Single(Read(zip).Directions);

        Assert.Equal(new GtfsRouteDirection("R1", "0", "A → C", 3), direction);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
