using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Matching.Routes;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;
using static StopSync.Tests.Jobs.Matching.EngineTestData;

namespace StopSync.Tests.Jobs.Matching.Routes;

/// <summary>OSM line families, itineraries and stop calls (docs/07-matching.md#lines-and-itineraries, "OSM side").</summary>
public sealed class OsmRouteProductsTests
{
    // Stations about 2 km apart, so no stage links a platform with another station's element.
    private static readonly AtlasPlatform PlatformA1 = A("ch:1:sloid:1:1:1", "8500001", "1", "Dorf", 47.00, 8.00);
    private static readonly AtlasPlatform PlatformA2 = A("ch:1:sloid:1:1:2", "8500001", "2", "Dorf", 47.0002, 8.0002);
    private static readonly AtlasPlatform OnlyPlatformOfB = A("ch:1:sloid:3:1:1", "8500003", "1", "Berg", 47.02, 8.00);
    private static readonly AtlasPlatform Feld = A("ch:1:sloid:6:1:1", "8500006", "1", "Feld", 47.06, 8.00);
    private static readonly AtlasPlatform DuplicateB = A("ch:1:sloid:7:1:b", "8500007", "1", "Weiler", 47.08, 8.00);
    private static readonly AtlasPlatform DuplicateA = A("ch:1:sloid:7:1:a", "8500007", "1", "Weiler", 47.08, 8.00);

    private static readonly OsmElement[] Elements =
    [
        O("1", 47.00, 8.00, Platform, Uic("8500001"), LocalRef("1"), Name("Dorf")),
        O("2", 47.0002, 8.0002, Platform, Uic("8500001"), LocalRef("2"), Name("Dorf")),
        O("11", 47.00003, 8.00003, StopPosition, Uic("8500001"), Name("Dorf")),
        O("3", 47.02, 8.00, Platform, Uic("8500003"), Name("Berg")),
        O("4", 47.04, 8.00, Platform, Uic("8500004"), Name("Tal")),
        O("5", 47.10, 8.10, Platform, Name("Wald")),
        O("8", 47.10003, 8.10003, StopPosition, Name("Wald")),
        O("12", 47.1010, 8.10, StopPosition, Name("Wald")),
        O("6", 47.06, 8.00, Platform, Name("Feld")),
        O("7", 47.08, 8.00, Platform, Uic("8500007"), LocalRef("1")),
        O("way_40", 47.12, 8.00, Platform, Uic("8500040"), Name("Hof")),
    ];

    [Fact]
    public void Build_MakesOneFamilyPerRouteMaster_WithTheMastersTagsAndItsRelationsAsItineraries()
    {
        var master = Master("900", ["502", "501"], ("route_master", "bus"), ("ref", "5"), ("name", "Bus 5"), ("gtfs:route_id", "91-5-A-j26-1"), ("operator", "VBZ"), ("network", "ZVV"));
        var relations = new[]
        {
            Route("501", [("route", "bus"), ("ref", "5"), ("gtfs:route_id", "91-5-A-j25-1"), ("operator", "SBB")], ("1", "platform"), ("3", "platform")),
            Route("502", [("route", "bus"), ("ref", "5"), ("gtfs:route_id", "91-5-A-j25-1")], ("3", "platform"), ("1", "platform")),
        };

        var family = Assert.Single(Build(relations, [master]));

        Assert.Equal(("osm", "route_master:900", "route_master", "900"), (family.Source, family.FamilyId, family.FamilyOrigin, family.RouteMasterId));
        Assert.Equal(("91-5-A-j26-1", "91-5-A-jXX-1", "91-5-A"), (family.GtfsRouteId, family.NormalizedRouteId, family.DisplayRouteId));
        Assert.Equal(("bus", "bus", "Bus 5", "5", "VBZ", "ZVV"), (family.RouteType, family.Mode, family.PublicName, family.Ref, family.Operator, family.Network));
        Assert.Equal((null, false), (family.AgencyId, family.IsNonGtfs));
        Assert.Equal(["501", "502"], family.Itineraries.Select(i => i.ItineraryId));
        Assert.Equal(["501", "502"], family.Itineraries.Select(i => i.RelationId));
    }

    [Fact]
    public void Build_GroupsTheRestByNormalisedGtfsRouteId_ThenByRouteRefOperatorNetwork_ThenOneFamilyPerRelation()
    {
        var relations = new[]
        {
            Route("601", [("route", "bus"), ("gtfs:route_id", "91-7-A-j25-1")], ("1", "platform")),
            Route("602", [("route", "bus"), ("gtfs:route_id", "91-7-A-j26-1")], ("3", "platform")),
            Route("603", [("route", "bus"), ("gtfs:route_id", "91-7-A-j26-1")], ("4", "platform")),
            Route("701", [("route", "bus"), ("ref", "Schulbus"), ("operator", "PAG"), ("network", "Libero")], ("1", "platform")),
            Route("702", [("route", "bus"), ("ref", "Schulbus"), ("operator", "PAG"), ("network", "Libero")], ("3", "platform")),
            Route("703", [("route", "bus"), ("ref", "Schulbus"), ("operator", "BLS")], ("4", "platform")),
            Route("801", [("route", "tram"), ("name", "Extrafahrt")], ("1", "platform")),
            Route("501", [("route", "bus"), ("gtfs:route_id", "91-7-A-j26-1")], ("1", "platform")),
        };
        var master = Master("900", ["501"], ("route_master", "bus"));

        var families = Build(relations, [master]);

        Assert.Equal(
            ["gtfs:91-7-A-jXX-1", "relation:801", "route_master:900", "synthetic:bus|Schulbus|BLS|", "synthetic:bus|Schulbus|PAG|Libero"],
            families.Select(f => f.FamilyId));
        var byGtfs = families[0];
        Assert.Equal(("gtfs_route_id", "91-7-A-j26-1", "91-7-A", null), (byGtfs.FamilyOrigin, byGtfs.GtfsRouteId, byGtfs.DisplayRouteId, byGtfs.RouteMasterId));
        Assert.Equal(["601", "602", "603"], byGtfs.Itineraries.Select(i => i.ItineraryId));
        var single = families[1];
        Assert.Equal(("relation", "tram", "tram", "relation:801", null, null), (single.FamilyOrigin, single.RouteType, single.Mode, single.DisplayRouteId, single.Ref, single.GtfsRouteId));
        var synthetic = families[4];
        Assert.Equal(("synthetic", "Schulbus", "Schulbus", null, null), (synthetic.FamilyOrigin, synthetic.DisplayRouteId, synthetic.Ref, synthetic.GtfsRouteId, synthetic.NormalizedRouteId));
        Assert.Equal(["701", "702"], synthetic.Itineraries.Select(i => i.ItineraryId));
    }

    [Fact]
    public void Build_TakesTheMostCommonRelationTag_WhereTheMasterIsSilent_AndTiesGoToTheOrdinallySmallest()
    {
        var master = Master("900", ["501", "502", "503"], ("name", "Linie 9"));
        var relations = new[]
        {
            Route("501", [("route", "trolleybus"), ("operator", "SBB"), ("network", "B"), ("name", "9 Nord"), ("gtfs:route_id", "91-9-B-j26-1")], ("1", "platform")),
            Route("502", [("route", "bus"), ("operator", "VBZ"), ("network", "A"), ("name", "9 Süd"), ("gtfs:route_id", "91-9-A-j26-1")], ("3", "platform")),
            Route("503", [("route", "bus"), ("operator", "VBZ"), ("network", ""), ("ref", "9")], ("4", "platform")),
        };

        var family = Assert.Single(Build(relations, [master]));

        Assert.Equal(("Linie 9", "VBZ", "A", "bus", "9"), (family.PublicName, family.Operator, family.Network, family.RouteType, family.Ref));
        Assert.Equal("91-9-A-j26-1", family.GtfsRouteId);
    }

    [Fact]
    public void Itinerary_TakesTheDirectionFromRefTrips_AndLeavesItNullWhenUnknown_WithoutFanningOut()
    {
        var relations = new[]
        {
            Route("501", [("gtfs:route_id", "91-5-A-j26-1"), ("ref_trips", "3.TA.91-5-A-j26-1.2.R"), ("from", "Dorf"), ("to", "Berg"), ("name", "Bus 5: Dorf => Berg")], ("1", "platform"), ("3", "platform")),
            Route("502", [("gtfs:route_id", "91-5-A-j26-1"), ("to", "Dorf")], ("3", "platform"), ("1", "platform")),
        };

        var itineraries = Assert.Single(Build(relations, [])).Itineraries;

        Assert.Equal(2, itineraries.Count);
        var (back, unknown) = (itineraries[0], itineraries[1]);
        Assert.Equal(("1", "Berg", "Dorf", "Berg", "Bus 5: Dorf => Berg", 0), (back.DirectionId, back.Headsign, back.FromName, back.ToName, back.Name, back.TripCount));
        Assert.Equal((null, "Dorf", null, "Dorf", null), (unknown.DirectionId, unknown.Headsign, unknown.FromName, unknown.ToName, unknown.Name));
    }

    [Fact]
    public void Calls_CollapseAStopPositionAndItsPlatform_IntoOneCallThroughThePlatform()
    {
        var relation = Route("501", [("public_transport:version", "2")],
            ("11", "stop"), ("1", "platform"), ("road", ""), ("3", "platform_entry_only"), ("4", "stop_exit_only"));

        var calls = Assert.Single(Assert.Single(Build([relation], [])).Itineraries).Calls;

        Assert.Equal(["1", "3", "4"], calls.Select(c => c.SourceStopId));
        Assert.Equal([1, 2, 3], calls.Select(c => c.Sequence));
        Assert.Equal(["platform", "platform_entry_only", "stop_exit_only"], calls.Select(c => c.Role));
        Assert.Equal(("1", "Dorf", "8500001", "1", 47.00, 8.00), (calls[0].OsmId, calls[0].Label, calls[0].UicRef, calls[0].PlatformCode, calls[0].Lat, calls[0].Lon));
    }

    [Fact]
    public void Calls_CollapseMembersOfOneOsmStopUnit_EvenWhenTheyShareNoKey()
    {
        // Two stop positions: the distance rule below does not apply, only the unit can join them.
        var relation = Route("501", [], ("8", "stop"), ("5", "stop"), ("4", "platform"));
        var stops = Stops();
        var paired = stops with
        {
            StopUnits = [new StopUnit("5", StopUnitKinds.PairKind, "osm_pair_name", [new StopUnitMember("5", StopUnitKinds.RolePairA), new StopUnitMember("8", StopUnitKinds.RolePairB)])],
        };

        var apart = Assert.Single(Assert.Single(OsmRouteProducts.Build(Read([relation], []), stops with { StopUnits = [] })).Itineraries).Calls;
        var together = Assert.Single(Assert.Single(OsmRouteProducts.Build(Read([relation], []), paired)).Itineraries).Calls;

        Assert.Equal(["8", "5", "4"], apart.Select(c => c.SourceStopId));
        Assert.Equal(["8", "4"], together.Select(c => c.SourceStopId));
    }

    [Fact]
    public void Calls_CollapseAStopPositionAndAPlatformInARow_WithinFiftyMetres_EvenWithoutKeyOrUnit()
    {
        var near = Route("501", [], ("8", "stop"), ("5", "platform"), ("4", "platform"));
        var far = Route("502", [], ("12", "stop"), ("5", "platform"), ("4", "platform"));
        var stops = Stops() with { StopUnits = [] };

        var nearCalls = Assert.Single(Assert.Single(OsmRouteProducts.Build(Read([near], []), stops)).Itineraries).Calls;
        var farCalls = Assert.Single(Assert.Single(OsmRouteProducts.Build(Read([far], []), stops)).Itineraries).Calls;

        Assert.Equal(["5", "4"], nearCalls.Select(c => c.SourceStopId));
        Assert.Equal(["12", "5", "4"], farCalls.Select(c => c.SourceStopId));
    }

    [Fact]
    public void Calls_OfCollapsedMembers_CarryTheSloidsOfEveryMember()
    {
        // Stop position 11 and platform 1 of Dorf share the uic key; the call keeps what either was matched to.
        var relation = Route("501", [], ("11", "stop"), ("1", "platform"));

        var call = Assert.Single(Assert.Single(Assert.Single(Build([relation], [])).Itineraries).Calls);
        var expected = Stops().Matches.Where(m => m.OsmId is "1" or "11").Select(m => "sloid:" + m.Sloid).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal([.. expected, "uic:8500001"], call.StopKeys);
    }

    [Fact]
    public void Calls_KeepPtv1MembersAndStopWays_AndSkipOtherRolesAndElementsThatAreNoStops()
    {
        var relation = Route("501", [("public_transport:version", "1")],
            ("1", ""), ("3", "forward"), ("999", ""), ("way_40", ""), ("4", "backward"), ("6", ""));

        var calls = Assert.Single(Assert.Single(Build([relation], [])).Itineraries).Calls;

        Assert.Equal(["1", "way_40", "6"], calls.Select(c => c.SourceStopId));
        Assert.All(calls, c => Assert.Equal("", c.Role));
        Assert.Equal(["uic:8500040"], calls[1].StopKeys);
    }

    [Fact]
    public void StopKeys_ComeFromTheStopMatching_ThenTheOnlyPlatformOfTheUic_ThenTheUic_ThenTheElement()
    {
        var relation = Route("501", [], ("1", "platform"), ("7", "platform"), ("6", "platform"), ("3", "platform"), ("4", "platform"), ("5", "platform"));

        var calls = Assert.Single(Assert.Single(Build([relation], [])).Itineraries).Calls;

        Assert.Equal(["ch:1:sloid:1:1:1"], calls[0].SloidVariants);
        Assert.Equal(["sloid:ch:1:sloid:1:1:1", "uic:8500001"], calls[0].StopKeys);
        // Both rows of an ATLAS duplicate reach the element (one by propagation), sorted.
        Assert.Equal("ch:1:sloid:7:1:a", calls[1].Sloid);
        Assert.Equal(["ch:1:sloid:7:1:a", "ch:1:sloid:7:1:b"], calls[1].SloidVariants);
        Assert.Equal(["sloid:ch:1:sloid:7:1:a", "sloid:ch:1:sloid:7:1:b", "uic:8500007"], calls[1].StopKeys);
        // Matched by name without a uic_ref: its station's number comes from the platform it is matched to.
        Assert.Equal(["sloid:ch:1:sloid:6:1:1", "uic:8500006"], calls[2].StopKeys);
        Assert.Equal("8500006", calls[2].UicRef);
        // Not matched (a reviewer forbade the pair), but its station has a single ATLAS platform.
        Assert.Equal(["sloid:ch:1:sloid:3:1:1", "uic:8500003"], calls[3].StopKeys);
        Assert.Equal("ch:1:sloid:3:1:1", calls[3].Sloid);
        Assert.Equal(["uic:8500004"], calls[4].StopKeys);
        Assert.Null(calls[4].Sloid);
        Assert.Equal(["osm:5"], calls[5].StopKeys);
        Assert.Equal((null, null), (calls[5].Sloid, calls[5].UicRef));
        Assert.Empty(calls[5].SloidVariants);
    }

    [Fact]
    public void StopKeys_UseTheUicAlone_WhenTheStationHasSeveralPlatformsAndTheElementIsNotMatched()
    {
        var relation = Route("501", [], ("2", "platform"));
        var stops = MatchingEngine.Run(new MatchingInput([PlatformA1, PlatformA2], Elements)
        {
            Rulings = new ReviewerRulings([], [new(PlatformA1.Sloid, "2"), new(PlatformA2.Sloid, "2")]),
        });

        var call = Assert.Single(Assert.Single(Assert.Single(OsmRouteProducts.Build(Read([relation], []), stops)).Itineraries).Calls);

        Assert.DoesNotContain(stops.Matches, m => m.OsmId == "2");
        Assert.Equal(["uic:8500001"], call.StopKeys);
    }

    [Fact]
    public void Build_LeavesOutRelationsWithoutAStopCall_AndMastersWhoseRoutesAreAbsent()
    {
        var relations = new[]
        {
            Route("501", [("ref", "5")], ("road", ""), ("3", "forward")),
            Route("502", [("ref", "6")], ("3", "platform")),
        };

        var families = Build(relations, [Master("900", ["777"]), Master("901", ["501"])]);

        Assert.Equal(["synthetic:|6||"], families.Select(f => f.FamilyId));
    }

    [Fact]
    public void Build_OnTheDemoDataset_PutsEachRelationWithStopsInExactlyOneFamily_MostUnderRouteMasters()
    {
        var dir = Directory.CreateTempSubdirectory("stopsync-routes-").FullName;
        try
        {
            StopSync.Jobs.Demo.DatasetGenerator.Generate(dir);
            var atlas = Sources.SourceReaderTests.Atlas().Read(Path.Combine(dir, SourceFileNames.Atlas), new DateOnly(2026, 11, 29));
            var osm = Sources.SourceReaderTests.Osm().Read(Path.Combine(dir, SourceFileNames.Osm));

            var families = OsmRouteProducts.Build(osm, MatchingEngine.Run(new MatchingInput(atlas.Platforms, osm.Elements, osm.Relations)));

            var relationIds = families.SelectMany(f => f.Itineraries).Select(i => i.RelationId).ToList();
            var elementIds = osm.Elements.Select(e => e.Id).ToHashSet();
            Assert.Equal(relationIds.Count, relationIds.Distinct().Count());
            Assert.Equal(osm.Relations.Count(r => r.Members.Any(m => elementIds.Contains(m.ElementId))), relationIds.Count);
            Assert.NotEmpty(osm.RouteMasters);
            Assert.Equal(osm.RouteMasters.Count, families.Count(f => f.FamilyOrigin == OsmRouteProducts.OriginRouteMaster));
            Assert.True(families.Where(f => f.FamilyOrigin == OsmRouteProducts.OriginRouteMaster).Sum(f => f.Itineraries.Count) > relationIds.Count / 2);
            Assert.Contains(families, f => f.GtfsRouteId is null && f.FamilyOrigin is OsmRouteProducts.OriginSynthetic or OsmRouteProducts.OriginRelation);
            Assert.Equal(families.Select(f => f.FamilyId).Order(StringComparer.Ordinal), families.Select(f => f.FamilyId));
            Assert.All(families.SelectMany(f => f.Itineraries).SelectMany(i => i.Calls), c => Assert.NotEmpty(c.StopKeys));
            Assert.Contains(families.SelectMany(f => f.Itineraries).SelectMany(i => i.Calls), c => c.Sloid is not null);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IReadOnlyList<LineFamily> Build(IReadOnlyList<OsmRouteRelation> relations, IReadOnlyList<OsmRouteMaster> masters) =>
        OsmRouteProducts.Build(Read(relations, masters), Stops());

    /// <summary>The stop matching of the fixed elements; the reviewer forbids element 3 its only platform.</summary>
    private static MatchingOutput Stops() =>
        MatchingEngine.Run(new MatchingInput([PlatformA1, PlatformA2, OnlyPlatformOfB, Feld, DuplicateA, DuplicateB], Elements)
        {
            Rulings = new ReviewerRulings([], [new(OnlyPlatformOfB.Sloid, "3")]),
        });

    private static OsmReadResult Read(IReadOnlyList<OsmRouteRelation> relations, IReadOnlyList<OsmRouteMaster> masters) =>
        new(Elements, relations, new OsmReadCounts(Elements.Length, 1, relations.Count, 0, 0)) { RouteMasters = masters };

    private static OsmRouteRelation Route(string id, (string Key, string Value)[] tags, params (string Element, string Role)[] members)
    {
        var all = tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        all.TryAdd("type", "route");
        return new OsmRouteRelation(id, all, [.. members.Select(m => new OsmRouteMember(m.Element, m.Role))]);
    }

    private static OsmRouteMaster Master(string id, string[] routeIds, params (string Key, string Value)[] tags)
    {
        var all = tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        all["type"] = "route_master";
        return new OsmRouteMaster(id, all, routeIds);
    }
}
