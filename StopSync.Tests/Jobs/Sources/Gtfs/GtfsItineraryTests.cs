using StopSync.Jobs.Sources.Gtfs;
using static StopSync.Tests.Jobs.Sources.Gtfs.GtfsFeedBuilder;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>Itineraries: distinct ordered Swiss stop sequences per route and direction (docs/07-matching.md#lines-and-itineraries).</summary>
public sealed class GtfsItineraryTests : IDisposable
{
    // SHA-256 of the stop_ids joined by "\n", first 12 hex digits, computed outside the code under test (Python hashlib).
    private const string BaselOltenZurich = "7015c49b3aba";
    private const string BaselZurich = "60c630ef688d";
    private const string ZurichOltenBasel = "12390a80048e";
    private const string BernZurich = "c9c34ec1f6bb";

    private static readonly string[] Stops =
    [
        "stop_id,stop_name,stop_lat,stop_lon",
        "8000026,Basel Bad Bf,47.567,7.607",
        "8000105,Frankfurt (Main) Hbf,50.107,8.663",
        "8500010:0:1,Basel SBB,47.547,7.589",
        "8500218,Olten,47.352,7.907",
        "8503000:0:2,Zürich HB,47.378,8.540",
        "8503000:0:3,Zürich HB,47.378,8.540",
        "8507000:0:5,Bern,46.949,7.439",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-gtfs-itineraries-").FullName;

    /// <summary>
    /// R direction 0: T1 starts abroad, T2 too with its rows out of order, T3 starts at Basel SBB: one Swiss pattern, three
    /// trips, two say "Zürich HB" and T3 "Zürich Hauptbahnhof". T4 skips Olten. Direction 1: T5 and T6 tie on their
    /// headsigns; T9 runs direction 0's stops but is labelled direction 1. X (no direction_id, no headsign): T7.
    /// T8 never reaches Switzerland.
    /// </summary>
    private GtfsReadResult ReadFeed() => Read(
        new GtfsFeedBuilder()
            .With("stops.txt", Stops)
            .With("routes.txt",
                "route_id,agency_id,route_short_name,route_long_name,route_type",
                "R-j25-1,11,IC3,,102",
                "X-j25-1,11,IC8,,102")
            .With("trips.txt",
                "route_id,service_id,trip_id,trip_headsign,trip_short_name,direction_id",
                "R-j25-1,S,T1,Zürich HB,301,0",
                "R-j25-1,S,T2,Zürich HB,303,0",
                "R-j25-1,S,T3,Zürich Hauptbahnhof,305,0",
                "R-j25-1,S,T4,Zürich HB,307,0",
                "R-j25-1,S,T5,Basel SBB,302,1",
                "R-j25-1,S,T6,Basel,304,1",
                "X-j25-1,S,T7,,817,",
                "R-j25-1,S,T8,Frankfurt,399,0",
                "R-j25-1,S,T9,Zürich HB,306,1")
            .With("stop_times.txt",
                "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
                "T1,08:00:00,08:00:00,8000026,1", "T1,08:10:00,08:10:00,8500010:0:1,2", "T1,08:40:00,08:40:00,8500218,3",
                "T1,09:00:00,09:00:00,8503000:0:2,4",
                "T2,09:00:00,09:00:00,8503000:0:2,40", "T2,08:00:00,08:00:00,8000026,10", "T2,08:40:00,08:40:00,8500218,30",
                "T2,08:10:00,08:10:00,8500010:0:1,20",
                "T3,08:10:00,08:10:00,8500010:0:1,1", "T3,08:40:00,08:40:00,8500218,2", "T3,09:00:00,09:00:00,8503000:0:2,3",
                "T4,08:10:00,08:10:00,8500010:0:1,1", "T4,08:55:00,08:55:00,8503000:0:2,2",
                "T5,10:00:00,10:00:00,8503000:0:3,1", "T5,10:20:00,10:20:00,8500218,2", "T5,11:00:00,11:00:00,8500010:0:1,3",
                "T6,12:00:00,12:00:00,8503000:0:3,1", "T6,12:20:00,12:20:00,8500218,2", "T6,13:00:00,13:00:00,8500010:0:1,3",
                "T7,10:00:00,10:00:00,8507000:0:5,1", "T7,11:00:00,11:00:00,8503000:0:2,2",
                "T8,06:00:00,06:00:00,8000105,1", "T8,08:00:00,08:00:00,8000026,2",
                "T9,14:00:00,14:00:00,8500010:0:1,1", "T9,14:30:00,14:30:00,8599999,2", "T9,14:40:00,14:40:00,8500218,3",
                "T9,15:00:00,15:00:00,8503000:0:2,4")
            .WriteTo(_dir));

    [Fact]
    public void Read_GivesOneItineraryPerRouteDirectionAndSwissStopSequence_WithItsTripCount()
    {
        var result = ReadFeed();

        Assert.Equal(
            [
                ($"R-j25-1|0|{BaselZurich}", 1),
                ($"R-j25-1|0|{BaselOltenZurich}", 3),
                ($"R-j25-1|1|{ZurichOltenBasel}", 2),
                ($"R-j25-1|1|{BaselOltenZurich}", 1),
                ($"X-j25-1|-|{BernZurich}", 1),
            ],
            result.Itineraries.Select(i => (i.ItineraryId, i.TripCount)));
    }

    [Fact]
    public void Read_DropsStopsOutsideTheSwissListFromTheSequence_AndOrdersCallsByStopSequence()
    {
        var result = ReadFeed();

        // T1 and T2 start at Basel Bad Bf (not Swiss), T2 lists its rows 40, 10, 30, 20; T9 calls at a stop_id stops.txt lacks.
        var main = Assert.Single(result.Itineraries, i => i.ItineraryId == $"R-j25-1|0|{BaselOltenZurich}");
        Assert.Equal(["8500010:0:1", "8500218", "8503000:0:2"], main.StopPositions.Select(p => result.Stops[p].StopId));
        var reversedLabel = Assert.Single(result.Itineraries, i => i.ItineraryId == $"R-j25-1|1|{BaselOltenZurich}");
        Assert.Equal(main.StopPositions, reversedLabel.StopPositions);
        Assert.Equal(1, result.Counts.StopTimesWithUnknownStop);
    }

    [Fact]
    public void Read_IgnoresTripsWithoutASwissStop_WhenBuildingItineraries()
    {
        var result = ReadFeed();

        Assert.Equal(8, result.Itineraries.Sum(i => i.TripCount));
        Assert.Equal(8, result.Counts.TripsThroughSwissStops);
        Assert.DoesNotContain(result.Itineraries, i => i.Headsign == "Frankfurt");
    }

    [Fact]
    public void Read_KeepsTheDirectionIdOrNull_PerItinerary()
    {
        var result = ReadFeed();

        Assert.Equal(["0", "0", "1", "1", null], result.Itineraries.Select(i => i.DirectionId));
        Assert.Equal(["R-j25-1", "R-j25-1", "R-j25-1", "R-j25-1", "X-j25-1"], result.Itineraries.Select(i => i.RouteId));
    }

    [Fact]
    public void Read_ChoosesTheMostCommonHeadsign_FirstInFileOnTies_ElseTheTripShortName()
    {
        var result = ReadFeed();
        string? HeadsignOf(string id) => Assert.Single(result.Itineraries, i => i.ItineraryId == id).Headsign;

        Assert.Equal("Zürich HB", HeadsignOf($"R-j25-1|0|{BaselOltenZurich}"));
        Assert.Equal("Basel SBB", HeadsignOf($"R-j25-1|1|{ZurichOltenBasel}"));
        Assert.Equal("817", HeadsignOf($"X-j25-1|-|{BernZurich}"));
    }

    [Fact]
    public void Read_ChoosesTheTieBreakingHeadsignByTripsTxtOrder_NotByStopTimesOrder()
    {
        // stop_times lists T6 before T5; trips.txt lists T5 ("Basel SBB") first, and that order breaks the tie.
        var result = Read(
            new GtfsFeedBuilder()
                .With("stops.txt", Stops)
                .With("trips.txt",
                    "route_id,service_id,trip_id,trip_headsign,direction_id",
                    "R1,S,T5,Basel SBB,1",
                    "R1,S,T6,Basel,1")
                .With("stop_times.txt",
                    "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
                    "T6,12:00:00,12:00:00,8503000:0:3,1", "T6,13:00:00,13:00:00,8500010:0:1,2",
                    "T5,10:00:00,10:00:00,8503000:0:3,1", "T5,11:00:00,11:00:00,8500010:0:1,2")
                .WriteTo(_dir));

        var itinerary = Assert.Single(result.Itineraries);
        Assert.Equal(("Basel SBB", 2), (itinerary.Headsign, itinerary.TripCount));
    }

    [Fact]
    public void Read_GivesTheSameItineraryIds_WhenTripIdsTimesAndOrderChange()
    {
        var first = ReadFeed();
        var second = Read(
            new GtfsFeedBuilder()
                .With("stops.txt", Stops)
                .With("routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type", "R-j25-1,11,IC3,,102")
                .With("trips.txt",
                    "route_id,service_id,trip_id,direction_id",
                    "R-j25-1,S,Z2,1",
                    "R-j25-1,S,Z1,0")
                .With("stop_times.txt",
                    "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
                    "Z2,18:00:00,18:00:00,8500010:0:1,3", "Z2,17:00:00,17:00:00,8503000:0:3,1", "Z2,17:20:00,17:20:00,8500218,2",
                    "Z1,06:00:00,06:00:00,8500010:0:1,5", "Z1,06:20:00,06:20:00,8500218,6", "Z1,06:50:00,06:50:00,8503000:0:2,7")
                .WriteTo(_dir, "second.zip"));

        Assert.Equal(
            [$"R-j25-1|0|{BaselOltenZurich}", $"R-j25-1|1|{ZurichOltenBasel}"],
            second.Itineraries.Select(i => i.ItineraryId));
        Assert.Subset(first.Itineraries.Select(i => i.ItineraryId).ToHashSet(), second.Itineraries.Select(i => i.ItineraryId).ToHashSet());
        Assert.All(second.Itineraries, i => Assert.Null(i.Headsign));
    }

    [Fact]
    public void Read_ReadsAgencyTxt_WhenPresent_AndNothingWhenAbsent()
    {
        var withAgencies = Read(
            new GtfsFeedBuilder()
                .With("agency.txt",
                    "agency_id,agency_name,agency_url,agency_timezone",
                    "11,Schweizerische Bundesbahnen SBB,https://www.sbb.ch/,Europe/Zurich",
                    "801,PostAuto AG,https://www.postauto.ch/,Europe/Zurich",
                    "11,Duplicate,https://example.invalid/,Europe/Zurich")
                .WriteTo(_dir, "agencies.zip"));
        var without = Read(new GtfsFeedBuilder().WriteTo(_dir, "plain.zip"));

        Assert.Equal([new GtfsAgency("11", "Schweizerische Bundesbahnen SBB"), new GtfsAgency("801", "PostAuto AG")], withAgencies.Agencies);
        Assert.Empty(without.Agencies);
        Assert.Single(without.Itineraries);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
