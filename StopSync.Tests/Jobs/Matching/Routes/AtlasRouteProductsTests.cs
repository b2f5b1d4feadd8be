using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Gtfs;
using StopSync.Tests.Jobs.Sources.Gtfs;
using static StopSync.Tests.Jobs.Sources.Gtfs.GtfsFeedBuilder;

namespace StopSync.Tests.Jobs.Matching.Routes;

/// <summary>The timetable side of route matching: families, itineraries and stop identities (docs/07-matching.md#lines-and-itineraries).</summary>
public sealed class AtlasRouteProductsTests : IDisposable
{
    // SHA-256 of "8500010:0:1\n8500218\n8503000:0:2" and of "8503000:0:2\n8500218P", first 12 hex digits (Python hashlib).
    private const string BaselOltenZurich = "7015c49b3aba";
    private const string ZurichOltenParent = "203d23d36b09";

    // Zürich platform 2 has a duplicate ATLAS row; Olten has two platforms far from the GTFS station point, so the
    // station-level stop 8500218 resolves to none of them.
    private static readonly AtlasPlatform[] AtlasRows =
    [
        Atlas("ch:1:sloid:10:1:1", "8500010", "1", 47.547, 7.589),
        Atlas("ch:1:sloid:3000:2:2b", "8503000", "2"),
        Atlas("ch:1:sloid:3000:2:2", "8503000", "2"),
        Atlas("ch:1:sloid:218:0:7", "8500218", "7", 47.3522, 7.9077),
        Atlas("ch:1:sloid:218:0:8", "8500218", "8", 47.3520, 7.9077),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-atlas-routes-").FullName;

    private GtfsReadResult ReadFeed(bool withAgencyTxt = true)
    {
        var builder = new GtfsFeedBuilder()
            .With("stops.txt",
                "stop_id,stop_name,stop_lat,stop_lon,platform_code",
                "8000026,Basel Bad Bf,47.567,7.607,",
                "8500010:0:1,Basel SBB,47.547,7.589,",
                "8500218,Olten,47.350,7.900,",
                "8500218P,Olten,47.350,7.900,",
                "8503000:0:2,Zürich HB,47.3779,8.5403,2")
            .With("routes.txt",
                "route_id,agency_id,route_short_name,route_long_name,route_type",
                "11-3-A-j25-1,11,IC3,Basel - Zürich,102",
                "85-7-j25-1,85,,Olten - Zürich,700",
                "1-X-j25-1,,,,")
            .With("trips.txt",
                "route_id,service_id,trip_id,trip_headsign,direction_id",
                "11-3-A-j25-1,S,T1,Zürich HB,0",
                "11-3-A-j25-1,S,T2,Zürich HB,0",
                "85-7-j25-1,S,T3,Olten,1",
                "1-X-j25-1,S,T4,Nowhere,0")
            .With("stop_times.txt",
                "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
                "T1,08:00:00,08:00:00,8000026,1", "T1,08:10:00,08:10:00,8500010:0:1,2", "T1,08:40:00,08:40:00,8500218,3",
                "T1,09:00:00,09:00:00,8503000:0:2,4",
                "T2,10:10:00,10:10:00,8500010:0:1,1", "T2,10:40:00,10:40:00,8500218,2", "T2,11:00:00,11:00:00,8503000:0:2,3",
                "T3,12:00:00,12:00:00,8503000:0:2,1", "T3,12:40:00,12:40:00,8500218P,2",
                "T4,06:00:00,06:00:00,8000026,1");
        if (withAgencyTxt)
        {
            builder.With("agency.txt",
                "agency_id,agency_name,agency_url,agency_timezone",
                "11,Schweizerische Bundesbahnen SBB,https://www.sbb.ch/,Europe/Zurich");
        }

        return Read(builder.WriteTo(_dir, withAgencyTxt ? "with-agency.zip" : "without-agency.zip"), AtlasRows);
    }

    [Fact]
    public void Build_GivesOneFamilyPerServedRoute_OrderedByRouteId_WithTheContractsFields()
    {
        var families = AtlasRouteProducts.Build(ReadFeed());

        // 1-X-j25-1 only runs abroad: no family.
        Assert.Equal(["11-3-A-j25-1", "85-7-j25-1"], families.Select(f => f.FamilyId));
        var ic = families[0];
        Assert.Equal(
            new LineFamily(
                RouteSides.Atlas, "11-3-A-j25-1", "gtfs_route", "102", RouteModes.Rail, "11-3-A", "11-3-A-j25-1", "11-3-A-jXX-1",
                "IC3", "IC3", "Schweizerische Bundesbahnen SBB", null, "11", null, false, ic.Itineraries),
            ic);
        var bus = families[1];
        Assert.Equal(("Olten - Zürich", null, RouteModes.Bus, "85-7"), (bus.PublicName, bus.Ref, bus.Mode, bus.DisplayRouteId));
    }

    [Fact]
    public void Build_NamesTheOperatorByAgencyName_ElseByAgencyId()
    {
        var withAgencies = AtlasRouteProducts.Build(ReadFeed());
        var without = AtlasRouteProducts.Build(ReadFeed(withAgencyTxt: false));

        Assert.Equal(["Schweizerische Bundesbahnen SBB", "85"], withAgencies.Select(f => f.Operator));
        Assert.Equal(["11", "85"], without.Select(f => f.Operator));
    }

    [Fact]
    public void Build_NamesTheOperatorByTheSoleAgency_WhenRoutesOmitAgencyId()
    {
        var gtfs = Read(
            new GtfsFeedBuilder()
                .With("agency.txt", "agency_name,agency_url,agency_timezone", "BLS AG,https://www.bls.ch/,Europe/Zurich")
                .With("routes.txt", "route_id,route_short_name,route_long_name,route_type", "R1,S1,,109")
                .WriteTo(_dir, "sole-agency.zip"));

        var family = Assert.Single(AtlasRouteProducts.Build(gtfs));

        Assert.Equal(("BLS AG", null), (family.Operator, family.AgencyId));
    }

    [Fact]
    public void Build_GivesItinerariesTheirStableIdTripCountHeadsignAndTermini()
    {
        var ic = AtlasRouteProducts.Build(ReadFeed())[0];

        // T1 starts abroad at Basel Bad Bf, so its Swiss calls equal T2's: one itinerary of two trips.
        var itinerary = Assert.Single(ic.Itineraries);
        Assert.Equal(
            new Itinerary($"11-3-A-j25-1|0|{BaselOltenZurich}", "0", "Zürich HB", "Basel SBB", "Zürich HB", "Basel SBB → Zürich HB", 2, null, itinerary.Calls),
            itinerary);
        Assert.Equal([1, 2, 3], itinerary.Calls.Select(c => c.Sequence));
    }

    [Fact]
    public void Build_KeysCallsBySortedSloidsThenUic_ByUicWithoutSloid_AndByStopIdWithoutEither()
    {
        var families = AtlasRouteProducts.Build(ReadFeed());
        var calls = families[0].Itineraries[0].Calls;
        var busCalls = families[1].Itineraries.Single().Calls;

        Assert.Equal(["sloid:ch:1:sloid:10:1:1", "uic:8500010"], calls[0].StopKeys);
        Assert.Equal(["uic:8500218"], calls[1].StopKeys);
        Assert.Equal(["sloid:ch:1:sloid:3000:2:2", "sloid:ch:1:sloid:3000:2:2b", "uic:8503000"], calls[2].StopKeys);
        Assert.Equal(["gtfs:8500218P"], busCalls[1].StopKeys);
        Assert.Equal($"85-7-j25-1|1|{ZurichOltenParent}", families[1].Itineraries.Single().ItineraryId);
    }

    [Fact]
    public void Build_FillsEachCallFromItsGtfsStopAndResolution()
    {
        var calls = AtlasRouteProducts.Build(ReadFeed())[0].Itineraries[0].Calls;

        Assert.Equal(
            new StopCall(3, "8503000:0:2", "ch:1:sloid:3000:2:2", calls[2].SloidVariants, null, calls[2].StopKeys, "Zürich HB", "8503000", "2",
                47.3779, 8.5403, null),
            calls[2]);
        Assert.Equal(["ch:1:sloid:3000:2:2", "ch:1:sloid:3000:2:2b"], calls[2].SloidVariants);
        Assert.Equal(("8500010:0:1", "1", "Basel SBB"), (calls[0].SourceStopId, calls[0].PlatformCode, calls[0].Label));
        Assert.Equal((null, 0), (calls[1].Sloid, calls[1].SloidVariants.Count));
    }

    [Fact]
    public void Build_ReturnsNothing_WhenNoTripCallsAtASwissStop()
    {
        var gtfs = Read(
            new GtfsFeedBuilder()
                .With("stops.txt", "stop_id,stop_name,stop_lat,stop_lon", "8500010:0:1,Basel SBB,47.547,7.589", "8000026,Basel Bad Bf,47.567,7.607")
                .With("stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence", "T1,08:00:00,08:00:00,8000026,1")
                .WriteTo(_dir, "abroad.zip"));

        Assert.Empty(AtlasRouteProducts.Build(gtfs));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
