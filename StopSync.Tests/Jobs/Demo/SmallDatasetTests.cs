using Microsoft.Extensions.Logging.Abstractions;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Matching;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Tests.Jobs.Demo;

/// <summary>The <c>small</c> size (about 5,000 platforms), read back file by file.</summary>
public sealed class SmallDatasetTests(SmallDatasetFixture fixture) : IClassFixture<SmallDatasetFixture>
{
    private static readonly DateOnly Today = new(2026, 11, 29);
    private static readonly string[] EntryNames = ["agency.txt", "calendar.txt", "routes.txt", "stops.txt", "trips.txt", "stop_times.txt"];
    private static readonly string[] StopsHeader =
        ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station", "platform_code", "original_stop_id", "didok"];
    private static readonly string[] StopTimesHeader = ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "pickup_type", "drop_off_type"];
    private static readonly string[] TripsHeader = ["route_id", "service_id", "trip_id", "trip_headsign", "trip_short_name", "direction_id"];
    private static readonly string[] RoutesHeader = ["route_id", "agency_id", "route_short_name", "route_long_name", "route_desc", "route_type"];

    private GeneratedDataset Data => fixture.Dataset;

    [Fact]
    public void Generate_WritesTheSameBytes_WhenSizeAndSeedAreTheSame()
    {
        var again = DatasetGenerator.Generate(Path.Combine(fixture.Directory, "again"), DatasetSize.Small, SmallDatasetFixture.Seed);
        var other = DatasetGenerator.Generate(Path.Combine(fixture.Directory, "other"), DatasetSize.Small, SmallDatasetFixture.Seed + 1);

        foreach (var file in (string[])[SourceFileNames.Atlas, SourceFileNames.Osm, SourceFileNames.Gtfs, DatasetGenerator.TruthFileName])
        {
            var first = File.ReadAllBytes(Path.Combine(fixture.Summary.Directory, file));
            Assert.True(first.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(again.Directory, file))), $"{file} differs between two runs with the same seed");
            Assert.False(first.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other.Directory, file))), $"{file} is the same for another seed");
        }
    }

    [Fact]
    public void Small_HasAboutFiveThousandPlatforms_AndProportionateOsmGtfsAndFilteredRows()
    {
        var atlas = Sources.SourceReaderTests.Atlas().Read(Path.Combine(Data.Directory, SourceFileNames.Atlas), Today);
        var (_, stopTimes) = Data.ReadGtfs("stop_times.txt");

        Assert.InRange(atlas.Platforms.Count, 4_500, 6_000);
        Assert.Equal(fixture.Summary.AtlasPlatforms, atlas.Platforms.Count);
        Assert.Equal(0, atlas.Counts.Malformed);
        Assert.InRange(atlas.Counts.EliminatedByType, 50, 600);
        Assert.InRange(atlas.Counts.EliminatedByValidity, 30, 400);
        Assert.InRange(atlas.Counts.EliminatedByUicCountry, 100, 400);
        Assert.InRange(Data.OsmElements.Count, atlas.Platforms.Count * 1.15, atlas.Platforms.Count * 1.6);
        Assert.InRange(Data.Relations.Count(), 250, 2_000);
        Assert.InRange(stopTimes.Count, 150_000, 600_000);
        Assert.Equal(fixture.Summary.Gtfs.StopTimes, stopTimes.Count);
    }

    [Fact]
    public void ServicePoints_HaveUniqueSwissUicNumbers_AndPlatformsUniqueSloids()
    {
        var platforms = Data.CurrentPlatforms.Values.ToList();
        var namesByNumber = platforms.GroupBy(r => Data.Col(r, "number")).ToDictionary(g => g.Key, g => g.Select(r => Data.Col(r, "designationOfficial")).Distinct().Count());
        var numbersByName = platforms.GroupBy(r => Data.Col(r, "designationOfficial")).ToDictionary(g => g.Key, g => g.Select(r => Data.Col(r, "number")).Distinct().Count());

        Assert.All(namesByNumber.Keys, n => Assert.Matches(@"^85\d{5}$", n));
        Assert.All(namesByNumber, kv => Assert.Equal(1, kv.Value));
        Assert.All(numbersByName, kv => Assert.Equal(1, kv.Value));
        Assert.All(platforms, r => Assert.StartsWith($"ch:1:sloid:{Data.Col(r, "numberShort")}:", Data.Col(r, "sloid"), StringComparison.Ordinal));
        Assert.Equal(platforms.Count, platforms.Select(r => Data.Col(r, "sloid")).Distinct().Count());
        Assert.Contains(platforms, r => Data.Col(r, "number") == "8503000" && Data.Col(r, "designationOfficial") == "Zürich HB");
    }

    [Fact]
    public void Platforms_LieInsideSwitzerland_AroundManyPlaces()
    {
        var positions = Data.CurrentPlatforms.Values.Select(Data.Position).ToList();
        var places = Data.CurrentPlatforms.Values.Select(r => Data.Col(r, "designationOfficial").Split(',')[0]).Distinct().Count();

        Assert.All(positions, p => Assert.True(SwissGeography.Contains(new GeoPoint(p.Lat, p.Lon)), $"{p} lies outside the Swiss outline"));
        Assert.True(places > 150, $"only {places} distinct places");
    }

    [Fact]
    public void GtfsZip_HasTheRequiredFiles_WithTheirHeaders()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(Data.GtfsPath);

        Assert.Equal(EntryNames, zip.Entries.Select(e => e.FullName));
        Assert.Equal(StopsHeader, Data.ReadGtfs("stops.txt").Header);
        Assert.Equal(StopTimesHeader, Data.ReadGtfs("stop_times.txt").Header);
        Assert.Equal(TripsHeader, Data.ReadGtfs("trips.txt").Header);
        Assert.Equal(RoutesHeader, Data.ReadGtfs("routes.txt").Header);
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(2026, 1, 1), e.LastWriteTime.DateTime));
    }

    [Fact]
    public void GtfsStops_HaveSloidIds_WithOriginalStopIdDidokAndParentStations()
    {
        var (_, stops) = Data.ReadGtfs("stops.txt");
        var parents = stops.Where(s => s[4] == "1").ToDictionary(s => s[0], StringComparer.Ordinal);
        var platforms = stops.Where(s => s[4] == "").ToList();

        Assert.All(parents.Values, p => Assert.Matches(@"^ch:1:sloid:\d+$", p[0]));
        Assert.All(parents.Values, p => Assert.Equal("85" + p[0]["ch:1:sloid:".Length..].PadLeft(5, '0'), p[8]));
        Assert.All(platforms, p => Assert.Matches(@"^ch:1:sloid:\d+:\d*:\w+$", p[0]));
        Assert.All(platforms, p => Assert.Equal(p[0], p[7]));
        Assert.All(platforms, p => Assert.Equal(parents[p[5]][8], p[8]));
        Assert.All(platforms, p => Assert.StartsWith(p[5] + ":", p[0], StringComparison.Ordinal));
        Assert.Subset(platforms.Select(p => p[0]).ToHashSet(), Data.Truth.Where(t => t.Case == TruthCases.Exact).Select(t => t.Sloid).ToHashSet());
    }

    [Fact]
    public void GtfsTrips_LinkRoutesAndStopTimes_WithDirectionsAndHeadsigns()
    {
        var routes = Data.ReadGtfs("routes.txt").Rows.Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        var trips = Data.ReadGtfs("trips.txt").Rows.ToDictionary(t => t[2], StringComparer.Ordinal);
        var platformStops = Data.ReadGtfs("stops.txt").Rows.Where(s => s[4] == "").Select(s => s[0]).ToHashSet(StringComparer.Ordinal);
        var stopTimes = Data.ReadGtfs("stop_times.txt").Rows;

        Assert.All(routes, r => Assert.Matches(@"^\d+-\w+-[A-Z]-j26-1$", r));
        Assert.All(trips.Values, t => Assert.Contains(t[0], routes));
        Assert.All(trips.Values, t => Assert.Equal(t[5] == "0" ? ".H" : ".R", t[2][^2..]));
        Assert.All(trips.Values, t => Assert.NotEmpty(t[3]));
        Assert.All(stopTimes, st => Assert.True(trips.ContainsKey(st[0]) && platformStops.Contains(st[3]), $"stop time {string.Join(',', st)} dangles"));
        Assert.All(stopTimes.GroupBy(st => st[0]), trip => Assert.Equal(Enumerable.Range(1, trip.Count()).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), trip.Select(st => st[4])));
    }

    [Fact]
    public void Relations_ReferenceOnlyNodesAndWaysOfTheFile()
    {
        var members = Data.Relations.SelectMany(r => r.Elements("member")).ToList();

        Assert.All(members, m => Assert.Contains(((string)m.Attribute("type")! == "way" ? "way_" : "") + (string)m.Attribute("ref")!, Data.OsmElements));
        Assert.Contains(members, m => (string)m.Attribute("type")! == "way");
        Assert.All(members, m => Assert.Contains((string)m.Attribute("role")!, (string[])["stop", "platform", ""]));
        Assert.All(Data.Relations, r => Assert.True(r.Elements("member").Count() >= 2));
    }

    [Fact]
    public void Relations_CarryRouteIdsOfRoutesTxt_AndRefTripsOfTheirOwnDirection()
    {
        var trips = Data.ReadGtfs("trips.txt").Rows.ToDictionary(t => t[2], StringComparer.Ordinal);
        var routes = Data.ReadGtfs("routes.txt").Rows.Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        var relations = Data.Relations.ToList();
        var withRouteId = relations.Where(r => GeneratedDataset.Tag(r, "gtfs:route_id") is not null).ToList();

        Assert.All(relations, r => Assert.Equal("route", GeneratedDataset.Tag(r, "type")));
        Assert.All(relations, r => Assert.Contains(GeneratedDataset.Tag(r, "route"), (string[])["bus", "tram", "train"]));
        Assert.Contains(relations, r => GeneratedDataset.Tag(r, "route") == "train");
        Assert.InRange(withRouteId.Count, relations.Count / 2, relations.Count - 1);
        Assert.All(withRouteId, r => Assert.Contains(GeneratedDataset.Tag(r, "gtfs:route_id")!, routes));
        foreach (var relation in relations.Where(r => GeneratedDataset.Tag(r, "ref_trips") is not null))
        {
            var refTrips = GeneratedDataset.Tag(relation, "ref_trips")!.Split(',');
            Assert.All(refTrips, id => Assert.Contains(id, trips));
            Assert.Single(refTrips.Select(id => id[^2..]).Distinct());
            if (GeneratedDataset.Tag(relation, "gtfs:route_id") is { } routeId)
            {
                Assert.All(refTrips, id => Assert.Equal(routeId, trips[id][0]));
            }
        }
    }

    [Fact]
    public void Ways_HaveCentresAndNodeRefs_AndThePipelineReaderKeepsThemAsStops()
    {
        var ways = Data.Osm.Root!.Elements("way").ToList();
        var read = Sources.SourceReaderTests.Osm().Read(Path.Combine(Data.Directory, SourceFileNames.Osm));

        Assert.NotEmpty(ways);
        Assert.All(ways, w => Assert.NotNull(w.Element("center")));
        Assert.All(ways, w => Assert.True(SwissGeography.Contains(new GeoPoint(GeneratedDataset.Position(w).Lat, GeneratedDataset.Position(w).Lon))));
        Assert.All(ways, w => Assert.InRange(w.Elements("nd").Count(), 5, 7));
        Assert.Contains(ways, w => GeneratedDataset.Tag(w, "aerialway") == "station" && GeneratedDataset.Tag(w, "public_transport") == "station");
        Assert.Contains(ways, w => GeneratedDataset.Tag(w, "public_transport") == "platform" && GeneratedDataset.Tag(w, "uic_ref") is not null);
        Assert.Equal(ways.Count, read.Elements.Count(e => e.ElementType == "way"));
        Assert.Equal(0, read.Malformed);
    }

    [Fact]
    public void Truth_ReferencesExistingSloidsAndOsmIds_AndAccountsForEveryPlatformAndElement()
    {
        var duplicateSloids = Data.Truth.Where(t => t.Case == TruthCases.AtlasDuplicate).Select(t => t.Sloid).ToHashSet(StringComparer.Ordinal);

        Assert.All(Data.Truth.Where(t => t.Sloid.Length > 0), t => Assert.Contains(t.Sloid, Data.CurrentPlatforms));
        Assert.All(Data.Truth.Where(t => t.OsmId.Length > 0), t => Assert.Contains(t.OsmId, Data.OsmElements));
        Assert.All(Data.Truth, t => Assert.True(t.Sloid.Length > 0 || t.OsmId.Length > 0));
        Assert.Equal(Data.CurrentPlatforms.Keys.Order(StringComparer.Ordinal), Data.Truth.Where(t => t.Sloid.Length > 0).Select(t => t.Sloid).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(Data.OsmElements.Keys.Order(StringComparer.Ordinal), Data.Truth.Where(t => t.OsmId.Length > 0).Select(t => t.OsmId).Distinct().Order(StringComparer.Ordinal));
        Assert.NotEmpty(duplicateSloids);
        Assert.Superset(
            new HashSet<string>
            {
                TruthCases.Exact, TruthCases.Offset, TruthCases.MissingUicRef, TruthCases.WrongUicRef, TruthCases.MissingLocalRef,
                TruthCases.OsmDuplicate, TruthCases.AtlasDuplicate, TruthCases.NameVariant, TruthCases.PairStopPosition, TruthCases.TrioSide,
                TruthCases.TrioMiddle, TruthCases.AtlasOnly, TruthCases.OsmOnly, TruthCases.OsmStation,
            },
            Data.Truth.Select(t => t.Case).ToHashSet());
    }

    [Fact]
    public void TruthCases_DescribeTheOsmTagsAndDistances()
    {
        foreach (var row in Data.Truth.Where(t => t.Sloid.Length > 0 && t.OsmId.Length > 0))
        {
            var atlas = Data.CurrentPlatforms[row.Sloid];
            var osm = Data.OsmElements[row.OsmId];
            var number = Data.Col(atlas, "number");
            var designation = Data.Col(atlas, "designation");
            var distance = GeneratedDataset.DistanceMeters(Data.Position(atlas), GeneratedDataset.Position(osm));
            var because = $"{row} at {distance:F1} m";
            switch (row.Case)
            {
                case TruthCases.Exact:
                    Assert.True(GeneratedDataset.Tag(osm, "uic_ref") == number && distance <= 6.5, because);
                    Assert.True(designation.Length == 0 || GeneratedDataset.Tag(osm, "local_ref") == designation, because);
                    break;
                case TruthCases.Offset:
                    Assert.True(GeneratedDataset.Tag(osm, "uic_ref") == number && distance is >= 19 and <= 201, because);
                    break;
                case TruthCases.MissingUicRef:
                    Assert.True(GeneratedDataset.Tag(osm, "uic_ref") is null && distance <= 46, because);
                    break;
                case TruthCases.WrongUicRef:
                    Assert.True(GeneratedDataset.Tag(osm, "uic_ref") is { } wrong && wrong != number && !Data.CurrentPlatforms.Values.Any(p => Data.Col(p, "number") == wrong), because);
                    break;
                case TruthCases.MissingLocalRef:
                    Assert.True(GeneratedDataset.Tag(osm, "uic_ref") == number && GeneratedDataset.Tag(osm, "local_ref") is null, because);
                    break;
                case TruthCases.NameVariant:
                    Assert.True(GeneratedDataset.Tag(osm, "uic_ref") is null && GeneratedDataset.Tag(osm, "name") != Data.Col(atlas, "designationOfficial"), because);
                    break;
                case TruthCases.PairStopPosition:
                    // Paired with the platform element of the same sloid, within the 12 m the pairing rules use.
                    var partners = Data.Truth.Where(t => t.Sloid == row.Sloid && t.OsmId.Length > 0 && t.Case != TruthCases.PairStopPosition);
                    Assert.True(GeneratedDataset.Tag(osm, "public_transport") == "stop_position", because);
                    Assert.Contains(partners, p => GeneratedDataset.DistanceMeters(GeneratedDataset.Position(Data.OsmElements[p.OsmId]), GeneratedDataset.Position(osm)) <= 12);
                    break;
                case TruthCases.TrioSide:
                    Assert.True(GeneratedDataset.Tag(osm, "uic_ref") == number && GeneratedDataset.Tag(osm, "public_transport") == "platform", because);
                    break;
            }
        }
    }

    [Fact]
    public void Trios_HaveTwoPlatformsWithinFifteenMetresOfAMiddleStopPositionOfTheSameUic()
    {
        var middles = Data.Truth.Where(t => t.Case == TruthCases.TrioMiddle).Select(t => Data.OsmElements[t.OsmId]).ToList();
        var byUic = Data.OsmElements.Values.Where(e => GeneratedDataset.Tag(e, "uic_ref") is not null).ToLookup(e => GeneratedDataset.Tag(e, "uic_ref"));

        Assert.NotEmpty(middles);
        foreach (var middle in middles)
        {
            var group = byUic[GeneratedDataset.Tag(middle, "uic_ref")].Where(e => e.Name == "node" && GeneratedDataset.Tag(e, "public_transport") != "station").ToList();
            Assert.Equal(3, group.Count);
            Assert.Single(group, e => GeneratedDataset.Tag(e, "public_transport") == "stop_position");
            Assert.All(group, e => Assert.InRange(GeneratedDataset.DistanceMeters(GeneratedDataset.Position(e), GeneratedDataset.Position(middle)), 0, 15));
        }
    }

    [Fact]
    public void Imperfections_ImitateTheRealProportions()
    {
        var atlas = Sources.SourceReaderTests.Atlas().Read(Path.Combine(Data.Directory, SourceFileNames.Atlas), Today);
        var osm = Sources.SourceReaderTests.Osm().Read(Path.Combine(Data.Directory, SourceFileNames.Osm));
        var platforms = (double)atlas.Platforms.Count;

        var result = MatchingEngine.Run(new MatchingInput(atlas.Platforms, osm.Elements));
        var exactShare = result.Matches.Where(m => m.MatchType == MatchTypeLabels.Exact).Select(m => m.Sloid).Distinct().Count() / platforms;
        var atlasOnlyShare = Data.Truth.Count(t => t.Case == TruthCases.AtlasOnly) / platforms;
        var spoiled = Data.Truth.Where(t => t.Case is TruthCases.MissingUicRef or TruthCases.WrongUicRef or TruthCases.MissingLocalRef or TruthCases.NameVariant or TruthCases.Offset)
            .GroupBy(t => t.Case).ToDictionary(g => g.Key, g => g.Count());
        var osmWithoutSloid = Data.Truth.Count(t => t.Sloid.Length == 0) + Data.Truth.Count(t => t.Case == TruthCases.PairStopPosition);

        // Real data: about 40 % by exact uic_ref; the engine's exact stage also takes grouped representatives.
        Assert.InRange(exactShare, 0.33, 0.55);
        Assert.InRange(atlasOnlyShare, 0.05, 0.12);
        Assert.Equal(TruthCases.MissingUicRef, spoiled.MaxBy(kv => kv.Value).Key);
        Assert.InRange(spoiled[TruthCases.MissingUicRef] / platforms, 0.25, 0.45);
        Assert.True(osmWithoutSloid > platforms * 0.25, $"{osmWithoutSloid} OSM elements beyond the platforms");
    }

    [Fact]
    public void TripIds_FollowTheSwissShape()
    {
        var trips = Data.ReadGtfs("trips.txt").Rows;

        Assert.All(trips, t => Assert.Matches(@"^\d+\.TA\.", t[2]));
        Assert.All(trips, t => Assert.Contains($".TA.{t[0]}.", t[2], StringComparison.Ordinal));
    }
}
