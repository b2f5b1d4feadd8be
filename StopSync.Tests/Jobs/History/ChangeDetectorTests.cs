using System.Text.Json;
using StopSync.Data.History;
using StopSync.Jobs.History;
using StopSync.Jobs.History.Changes;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Tests.Jobs.History;

/// <summary>The comparer on constructed pairs of results: each change type, each cause, the tolerances and the fields.</summary>
public sealed class ChangeDetectorTests
{
    private const double Lat = 47.0;
    private const double Lon = 8.0;

    // About 11 m north: far beyond the coordinate tolerance.
    private const double Moved = 0.0001;

    private static readonly AtlasPlatform A = Atlas("ch:1:sloid:1:1:1", Lat, Lon, "Bern, Bahnhof");
    private static readonly AtlasPlatform B = Atlas("ch:1:sloid:2:1:1", Lat + 0.001, Lon, "Bern, Loeb");
    private static readonly OsmElement X = Osm("101", Lat, Lon, ("name", "Bern Bahnhof"), ("public_transport", "platform"));
    private static readonly OsmElement Y = Osm("way_202", Lat + 0.001, Lon, ("name", "Loeb"), ("public_transport", "platform"));

    private static readonly Func<double, double, string?> Cantons = (lat, _) => lat > 46 ? "BE" : null;

    [Fact]
    public void Detect_FindsNothing_WhenBothResultsAreEqual()
    {
        var run = Input([A, B], [X, Y], [Pair(A, X), Pair(B, Y)], [Problem("p1", "distance", 2, A, X)]);

        Assert.Empty(ChangeDetector.Detect(run, run, Cantons));
    }

    [Fact]
    public void Detect_ReportsAnAtlasEdit_WithOnlyTheDifferingFields_AndItsEditionDate()
    {
        var edited = A with
        {
            DesignationOfficial = "Bern Hauptbahnhof",
            Lat = A.Lat + Moved,
            Details = new AtlasPlatformDetails(ElementType: "BOARDING_PLATFORM", EditionDate: new DateTime(2026, 12, 4, 10, 0, 0)),
        };
        var before = Input([A with { Details = new AtlasPlatformDetails(ElementType: "BOARDING_PLATFORM") }], [], [], []);

        var change = Assert.Single(ChangeDetector.Detect(before, Input([edited], [], [], []), Cantons));

        Assert.Equal((ChangeTypes.AtlasEdited, ChangeCauses.Atlas, A.Sloid, "SBB", "BE"), (change.ChangeType, change.Cause, change.Sloid, change.AtlasOperator, change.Canton));
        Assert.Equal("Bern Hauptbahnhof", change.Name);
        Assert.Equal(new DateTime(2026, 12, 4, 10, 0, 0), change.AtlasEditionDate);
        var was = Json(change.Before);
        var now = Json(change.After);
        Assert.Equal(["designation_official", "lat", "lon"], was.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Bern, Bahnhof", was.GetProperty("designation_official").GetString());
        Assert.Equal("Bern Hauptbahnhof", now.GetProperty("designation_official").GetString());
        Assert.InRange(now.GetProperty("moved_m").GetDouble(), 11.0, 11.3);
    }

    [Fact]
    public void Detect_IgnoresAMoveWithinTheCoordinateTolerance_AndAnEditionDateAlone()
    {
        // 0.000003° is about 0.33 m: under the 0.5 m tolerance.
        var nudged = A with { Lat = A.Lat + 0.000003, Details = new AtlasPlatformDetails(EditionDate: new DateTime(2026, 1, 1)) };
        var nudgedOsm = X with { Lon = X.Lon + 0.000003 };

        var changes = ChangeDetector.Detect(Input([A], [X], [Pair(A, X, 3.0)], []), Input([nudged], [nudgedOsm], [Pair(nudged, nudgedOsm, 3.6)], []), Cantons);

        Assert.Empty(changes);
    }

    [Fact]
    public void Detect_ReportsAtlasRowsAddedAndRemoved_CausedByAtlas()
    {
        var changes = ChangeDetector.Detect(Input([A], [], [], []), Input([B], [], [], []), Cantons);

        var added = Assert.Single(changes, c => c.ChangeType == ChangeTypes.AtlasAdded);
        var removed = Assert.Single(changes, c => c.ChangeType == ChangeTypes.AtlasRemoved);
        Assert.Equal((B.Sloid, ChangeCauses.Atlas, "Bern, Loeb"), (added.Sloid, added.Cause, added.Name));
        Assert.Equal((A.Sloid, ChangeCauses.Atlas), (removed.Sloid, removed.Cause));
        Assert.Equal("Bern, Bahnhof", Json(removed.Before).GetProperty("designation_official").GetString());
        Assert.Null(removed.After);
        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public void Detect_ReportsAnOsmTagEdit_WithTheElementsNewVersionTimestampAndUser()
    {
        var stamp = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
        var renamed = Osm("101", Lat, Lon, ("name", "Bern Bahnhof Nord"), ("public_transport", "platform"), ("local_ref", "A")) with
        {
            Version = 8, Timestamp = stamp, User = "mapper",
        };

        var change = Assert.Single(ChangeDetector.Detect(Input([], [X], [], []), Input([], [renamed], [], []), Cantons));

        Assert.Equal((ChangeTypes.OsmEdited, ChangeCauses.Osm, "101", (string?)null), (change.ChangeType, change.Cause, change.OsmNodeId, change.Sloid));
        Assert.Equal((8, stamp, "mapper"), (change.OsmVersion!.Value, change.OsmTimestamp!.Value, change.OsmUser));
        Assert.Equal("Bern Bahnhof Nord", change.Name);
        Assert.Null(change.AtlasOperator);
        Assert.Equal("""{"tags":{"local_ref":null,"name":"Bern Bahnhof"}}""", change.Before);
        Assert.Equal("""{"tags":{"local_ref":"A","name":"Bern Bahnhof Nord"}}""", change.After);
    }

    [Fact]
    public void Detect_ReportsOsmElementsAddedAndRemoved_AndAnElementTypeChange()
    {
        var asNode = Y with { ElementType = "node" };
        var changes = ChangeDetector.Detect(Input([], [X, asNode], [], []), Input([], [Y, Osm("303", Lat, Lon)], [], []), Cantons);

        Assert.Equal(
            [(ChangeTypes.OsmAdded, "303"), (ChangeTypes.OsmEdited, "way_202"), (ChangeTypes.OsmRemoved, "101")],
            changes.Select(c => (c.ChangeType, c.OsmNodeId!)).OrderBy(c => c.ChangeType, StringComparer.Ordinal));
        Assert.All(changes, c => Assert.Equal(ChangeCauses.Osm, c.Cause));
        Assert.Equal("way", Json(changes.Single(c => c.ChangeType == ChangeTypes.OsmEdited).After).GetProperty("element_type").GetString());
    }

    [Fact]
    public void Detect_AttributesAMatchLostToAtlas_WhenOnlyTheAtlasRowMoved()
    {
        var moved = A with { Lat = A.Lat + 0.01 };

        var changes = ChangeDetector.Detect(Input([A], [X], [Pair(A, X)], []), Input([moved], [X], [], []), Cantons);

        var lost = Assert.Single(changes, c => c.ChangeType == ChangeTypes.MatchLost);
        Assert.Equal((ChangeCauses.Atlas, A.Sloid, "101"), (lost.Cause, lost.Sloid, lost.OsmNodeId));
        Assert.Equal("exact", Json(lost.Before).GetProperty("match_type").GetString());
        Assert.Null(lost.After);
        // The point shown is the ATLAS row's new position.
        Assert.Equal(moved.Lat, lost.Lat);
    }

    [Fact]
    public void Detect_AttributesAMatchGainedToOsm_WhenOnlyTheOsmElementChanged_WithItsNewMeta()
    {
        var tagged = X with { Tags = new Dictionary<string, string>(X.Tags) { ["uic_ref"] = "8507000" }, Version = 3, User = "osm_user" };

        var changes = ChangeDetector.Detect(Input([A], [X], [], []), Input([A], [tagged], [Pair(A, tagged)], []), Cantons);

        var gained = Assert.Single(changes, c => c.ChangeType == ChangeTypes.MatchGained);
        Assert.Equal((ChangeCauses.Osm, 3, "osm_user"), (gained.Cause, gained.OsmVersion, gained.OsmUser));
        Assert.Null(gained.AtlasEditionDate);
    }

    [Fact]
    public void Detect_AttributesAMatchChangeToBoth_WhenBothSidesChanged()
    {
        var a = A with { Designation = "7" };
        var x = X with { Lat = X.Lat + Moved };

        var changes = ChangeDetector.Detect(Input([A], [X], [Pair(A, X, 2)], []), Input([a], [x], [Pair(a, x, 13, "name")], []), Cantons);

        var changed = Assert.Single(changes, c => c.ChangeType == ChangeTypes.MatchChanged);
        Assert.Equal(ChangeCauses.Both, changed.Cause);
        Assert.Equal("""{"match_type":"exact","distance_m":2}""", changed.Before);
        Assert.Equal("""{"match_type":"name","distance_m":13}""", changed.After);
    }

    [Fact]
    public void Detect_AttributesToTheMatching_WhenNeitherSideChanged_AndRecordsTheEngineDifference()
    {
        var engines = new[] { new SettingDifference("engine_version", "1.0.0", "1.1.0") };

        var changes = ChangeDetector.Detect(
            Input([A, B], [X, Y], [Pair(A, X), Pair(B, Y, 5)], []),
            Input([A, B], [X, Y], [Pair(A, Y, 110, "route")], [Problem("u1", "unmatched", 3, B, null)]),
            Cantons, engines);

        Assert.Equal(
            [(ChangeTypes.MatchGained, A.Sloid, "way_202"), (ChangeTypes.MatchLost, A.Sloid, "101"), (ChangeTypes.MatchLost, B.Sloid, "way_202"),
             (ChangeTypes.ProblemOpened, B.Sloid, (string?)null)],
            changes.Select(c => (c.ChangeType, c.Sloid!, c.OsmNodeId)).OrderBy(c => c.ChangeType, StringComparer.Ordinal).ThenBy(c => c.Item2, StringComparer.Ordinal));
        Assert.All(changes, c => Assert.Equal(ChangeCauses.Matching, c.Cause));
        var gained = changes.Single(c => c.ChangeType == ChangeTypes.MatchGained);
        Assert.Equal("""{"match_type":"route","distance_m":110,"engine_version":"1.1.0"}""", gained.After);
        Assert.Equal("""{"engine_version":"1.0.0"}""", gained.Before);
    }

    [Fact]
    public void Detect_IgnoresADistanceChangeWithinTheTolerance_AndReportsOneBeyondIt()
    {
        var within = ChangeDetector.Detect(Input([A], [X], [Pair(A, X, 4.0)], []), Input([A], [X], [Pair(A, X, 4.0 + ChangeDetector.DistanceToleranceMeters)], []), Cantons);
        var beyond = ChangeDetector.Detect(Input([A], [X], [Pair(A, X, 4.0)], []), Input([A], [X], [Pair(A, X, 5.5)], []), Cantons);

        Assert.Empty(within);
        var change = Assert.Single(beyond);
        Assert.Equal((ChangeTypes.MatchChanged, ChangeCauses.Matching), (change.ChangeType, change.Cause));
        Assert.Equal("""{"distance_m":5.5}""", change.After);
    }

    [Fact]
    public void Detect_AttributesAMatchToTheSideOfAChangedPartner_WhenAnElementWasFreedByARemovedRow()
    {
        // X was A's; A is gone, so X goes to B, which did not change: ATLAS caused the new pair.
        var changes = ChangeDetector.Detect(Input([A, B], [X], [Pair(A, X)], []), Input([B], [X], [Pair(B, X, 111, "name")], []), Cantons);

        var gained = Assert.Single(changes, c => c.ChangeType == ChangeTypes.MatchGained);
        Assert.Equal((B.Sloid, "101", ChangeCauses.Atlas), (gained.Sloid, gained.OsmNodeId, gained.Cause));
    }

    [Fact]
    public void Detect_AttributesAChangeToTheSideOfAChangedNeighbour_WithinFiftyMetres_AndNotBeyond()
    {
        var isolated = new ProblemEvidence(Side: "atlas", Isolated: true);
        var notIsolated = new ProblemEvidence(Side: "atlas", Isolated: false);
        // 0.0003° north is about 33 m from B; 0.0006° about 67 m from A.
        var near = Osm("404", B.Lat + 0.0003, B.Lon, ("name", "New"));
        var far = Atlas("ch:1:sloid:3:1:1", A.Lat - 0.0006, A.Lon, "Elsewhere");
        var before = Input([A, B], [], [], [Problem("u-b", "unmatched", 3, B, null, isolated), Problem("u-a", "unmatched", 3, A, null, isolated)]);
        var after = Input([A, B, far], [near], [], [Problem("u-b", "unmatched", 3, B, null, notIsolated), Problem("u-a", "unmatched", 3, A, null, notIsolated)]);

        var changes = ChangeDetector.Detect(before, after, Cantons);

        Assert.Equal(ChangeCauses.Osm, changes.Single(c => c.ProblemKey == "u-b").Cause);
        Assert.Equal(ChangeCauses.Matching, changes.Single(c => c.ProblemKey == "u-a").Cause);
    }

    [Fact]
    public void Detect_ReportsProblemsOpenedClosedAndChanged_WithTheirCause()
    {
        var x = X with { Tags = new Dictionary<string, string>(X.Tags) { ["local_ref"] = "B" } };
        var before = Input([A, B], [X, Y], [], [Problem("d1", "distance", 2, A, X), Problem("u2", "unmatched", 3, B, null)]);
        var after = Input([A, B], [x, Y], [],
            [Problem("d1", "distance", 1, A, x, ProblemEvidence.ForDistance(400)), Problem("a3", "attributes", 2, A, x)]);

        var changes = ChangeDetector.Detect(before, after, Cantons);

        var changed = Assert.Single(changes, c => c.ChangeType == ChangeTypes.ProblemChanged);
        Assert.Equal(("d1", "distance", ChangeCauses.Osm), (changed.ProblemKey, changed.ProblemType, changed.Cause));
        Assert.Equal("""{"priority":2,"evidence":{"distance_bucket":"25-50"}}""", changed.Before);
        Assert.Equal("""{"priority":1,"evidence":{"distance_bucket":"300-1000"}}""", changed.After);
        var opened = Assert.Single(changes, c => c.ChangeType == ChangeTypes.ProblemOpened);
        Assert.Equal(("a3", ChangeCauses.Osm, A.Sloid, "101"), (opened.ProblemKey, opened.Cause, opened.Sloid, opened.OsmNodeId));
        var closed = Assert.Single(changes, c => c.ChangeType == ChangeTypes.ProblemClosed);
        Assert.Equal(("u2", ChangeCauses.Matching, "Bern, Loeb"), (closed.ProblemKey, closed.Cause, closed.Name));
    }

    [Fact]
    public void Detect_PlacesAnOsmOnlyChangeAtTheElement_AndLeavesTheCantonEmptyOutsideEveryCanton()
    {
        var far = Osm("909", 40.0, 8.0, ("name", "Far away"));

        var changes = ChangeDetector.Detect(Input([], [X], [], []), Input([], [X, far], [], []), Cantons);

        var added = Assert.Single(changes);
        Assert.Equal((40.0, 8.0, (string?)null, "Far away"), (added.Lat!.Value, added.Lon!.Value, added.Canton, added.Name));
    }

    [Fact]
    public void Count_GroupsChangesByTypeAndCause()
    {
        var changes = ChangeDetector.Detect(Input([A], [X], [Pair(A, X)], []), Input([B], [X], [Pair(B, X)], []), Cantons);

        var counts = ChangeDetector.Count(changes);

        Assert.Equal(1, counts[ChangeTypes.AtlasAdded][ChangeCauses.Atlas]);
        Assert.Equal(1, counts[ChangeTypes.AtlasRemoved][ChangeCauses.Atlas]);
        Assert.Equal(1, counts[ChangeTypes.MatchGained][ChangeCauses.Atlas]);
        Assert.Equal(1, counts[ChangeTypes.MatchLost][ChangeCauses.Atlas]);
        Assert.Equal(4, counts.Values.Sum(c => c.Values.Sum()));
    }

    private static AtlasPlatform Atlas(string sloid, double lat, double lon, string name) =>
        new(sloid, "8507000", "1", name, "SBB", lat, lon, "ch:1:sboid:100001", "Swiss Federal Railways SBB");

    private static OsmElement Osm(string id, double lat, double lon, params (string Key, string Value)[] tags) =>
        new(id, id.StartsWith("way_", StringComparison.Ordinal) ? "way" : "node", lat, lon, tags.ToDictionary(t => t.Key, t => t.Value));

    private static AtlasOsmMatch Pair(AtlasPlatform atlas, OsmElement osm, double distance = 2, string type = "exact") =>
        new(atlas, osm, type, distance, "", new MatchEvidence(type, distance));

    private static DetectedProblem Problem(string id, string type, int priority, AtlasPlatform? atlas, OsmElement? osm, ProblemEvidence? evidence = null) =>
        new(id, type, priority, atlas?.Sloid, osm?.Id, Evidence: evidence ?? (type == "distance" ? ProblemEvidence.ForDistance(30) : null));

    private static PublicationInput Input(AtlasPlatform[] platforms, OsmElement[] elements, AtlasOsmMatch[] matches, DetectedProblem[] problems)
    {
        var matchedAtlas = matches.Select(m => m.Sloid).ToHashSet(StringComparer.Ordinal);
        var matchedOsm = matches.Select(m => m.OsmId).ToHashSet(StringComparer.Ordinal);
        return new PublicationInput(
            matches,
            [.. platforms.Where(p => !matchedAtlas.Contains(p.Sloid)).Select(p => new UnmatchedAtlasPlatform(p, false))],
            [.. elements.Where(e => !matchedOsm.Contains(e.Id)).Select(e => new UnmatchedOsmElement(e, false, false))],
            problems, [], []);
    }

    private static JsonElement Json(string? json) => JsonDocument.Parse(json ?? "null").RootElement;
}
