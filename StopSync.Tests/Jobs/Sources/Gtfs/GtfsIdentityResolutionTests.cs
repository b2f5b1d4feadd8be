using System.Globalization;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Gtfs;
using static StopSync.Tests.Jobs.Sources.Gtfs.GtfsFeedBuilder;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

/// <summary>The GTFS identity cases D1–D5 of docs/07-matching.md#acceptance-cases and the tier rules around them.</summary>
public sealed class GtfsIdentityResolutionTests : IDisposable
{
    private const string StopsHeader = "stop_id,stop_name,stop_lat,stop_lon,platform_code,original_stop_id";

    // 1 m of latitude in degrees with R = 6,371,000 m.
    private const double DegreesPerMeter = 180 / (Math.PI * 6_371_000);

    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-gtfs-identity-").FullName;

    [Fact]
    public void Read_ResolvesUicPlatform_WhenStopIdCarriesUicAndPlatform()
    {
        // D1
        var zip = new GtfsFeedBuilder().With("stops.txt", StopsHeader, "8503000:0:1,Zürich HB,47.3779,8.5403,,").WriteTo(_dir);
        AtlasPlatform[] atlas = [Atlas("ch:1:sloid:8503000:1", "8503000", "1"), Atlas("ch:1:sloid:8503000:2", "8503000", "2")];

        var resolution = Read(zip, atlas).ResolutionOf("8503000:0:1");

        Assert.Equal(GtfsResolutionMethod.UicPlatform, resolution.Method);
        Assert.Equal("uic_platform", resolution.MethodLabel);
        Assert.Equal(["ch:1:sloid:8503000:1"], resolution.Sloids);
        Assert.Equal(0.95, resolution.Confidence);
    }

    [Theory]
    [InlineData("8503000", "10000", "1")]
    [InlineData("8503000", "10001", "2")]
    [InlineData("8503000:0:01", "", "1")]
    [InlineData("8503000:0:1", "", "01")]
    public void Read_ResolvesUicPlatform_WhenPlatformSpellingsDifferOnlyByNormalization(string stopId, string platformCode, string designation)
    {
        // D2: "10000" and "01" on the GTFS side match designation "1" (and "10001" matches "2"), in either direction.
        var zip = new GtfsFeedBuilder().With("stops.txt", StopsHeader, $"{stopId},Zürich HB,47.3779,8.5403,{platformCode},").WriteTo(_dir);
        AtlasPlatform[] atlas = [Atlas("ch:1:sloid:3000:0:target", "8503000", designation), Atlas("ch:1:sloid:3000:0:other", "8503000", "7")];

        var resolution = Read(zip, atlas).ResolutionOf(stopId);

        Assert.Equal(GtfsResolutionMethod.UicPlatform, resolution.Method);
        Assert.Equal(["ch:1:sloid:3000:0:target"], resolution.Sloids);
    }

    [Fact]
    public void Read_ResolvesOriginalStopId_WhenOriginalStopIdIsAnAtlasSloidEvenIfThePlatformPointsElsewhere()
    {
        // D3: the platform in the stop_id ("2") would pick sloid 2 at tier 2; the original_stop_id wins.
        var zip = new GtfsFeedBuilder()
            .With("stops.txt", StopsHeader, "8503000:0:2,Zürich HB,47.3779,8.5403,,ch:1:sloid:3000:1:1")
            .WriteTo(_dir);
        AtlasPlatform[] atlas = [Atlas("ch:1:sloid:3000:1:1", "8503000", "1"), Atlas("ch:1:sloid:3000:2:2", "8503000", "2")];

        var resolution = Read(zip, atlas).ResolutionOf("8503000:0:2");

        Assert.Equal(GtfsResolutionMethod.OriginalStopId, resolution.Method);
        Assert.Equal(["ch:1:sloid:3000:1:1"], resolution.Sloids);
        Assert.Equal(1.0, resolution.Confidence);
    }

    [Fact]
    public void Read_ResolvesCoordinateProximity_WhenExactlyOneAtlasRowOfTheUicIsWithinHalfAMetre()
    {
        // D4: 0.3 m north of the near row; the far row (same UIC) keeps tier 4 from deciding instead.
        var zip = new GtfsFeedBuilder()
            .With("stops.txt", StopsHeader, $"8503000,Zürich HB,{Format(47 + (0.3 * DegreesPerMeter))},8,,")
            .WriteTo(_dir);
        AtlasPlatform[] atlas = [Atlas("ch:1:sloid:3000:0:near", "8503000", "", 47, 8), Atlas("ch:1:sloid:3000:0:far", "8503000", "", 47.001, 8.001)];

        var resolution = Read(zip, atlas).ResolutionOf("8503000");

        Assert.Equal(GtfsResolutionMethod.CoordinateProximity, resolution.Method);
        Assert.Equal(["ch:1:sloid:3000:0:near"], resolution.Sloids);
        Assert.Equal(0.85, resolution.Confidence);
        Assert.Equal(0.3, resolution.DistanceMeters!.Value, 6);
    }

    [Fact]
    public void Read_LeavesStopUnmatched_WhenTwoAtlasRowsOfTheUicAreWithinHalfAMetre()
    {
        // D4, second half: 0.2 m from each of two rows 0.4 m apart, so the pair is not unique on the stop's side.
        var zip = new GtfsFeedBuilder()
            .With("stops.txt", StopsHeader, $"8503000,Zürich HB,{Format(47 + (0.2 * DegreesPerMeter))},8,,")
            .WriteTo(_dir);
        AtlasPlatform[] atlas =
        [
            Atlas("ch:1:sloid:3000:0:a", "8503000", "", 47, 8),
            Atlas("ch:1:sloid:3000:0:b", "8503000", "", 47 + (0.4 * DegreesPerMeter), 8),
        ];

        var result = Read(zip, atlas);

        var resolution = result.ResolutionOf("8503000");
        Assert.Equal(GtfsResolutionMethod.Unmatched, resolution.Method);
        Assert.Empty(resolution.Sloids);
        Assert.Equal(0.0, resolution.Confidence);
        Assert.Equal(1, result.Counts.CoordinateProximityConflicts);
    }

    [Fact]
    public void Read_LeavesStopsUnmatchedAtTierThree_WhenTwoStopsShareTheirOnlyNearbyAtlasRow()
    {
        // Uniqueness is required on the ATLAS side too: one sloid, two GTFS stops within 0.5 m of it.
        var zip = new GtfsFeedBuilder()
            .With("stops.txt", StopsHeader,
                $"8503000:0:x,Zürich HB,{Format(47 + (0.1 * DegreesPerMeter))},8,,",
                $"8503000:0:y,Zürich HB,{Format(47 - (0.1 * DegreesPerMeter))},8,,")
            .WriteTo(_dir);
        AtlasPlatform[] atlas = [Atlas("ch:1:sloid:3000:0:a", "8503000", "", 47, 8), Atlas("ch:1:sloid:3000:0:far", "8503000", "", 47.01, 8)];

        var result = Read(zip, atlas);

        Assert.All(result.Resolutions, r => Assert.Equal(GtfsResolutionMethod.Unmatched, r.Method));
        Assert.Equal(2, result.Counts.Unmatched);
    }

    [Fact]
    public void Read_ResolvesUniqueNumber_WhenTheUicHasExactlyOneAtlasRow()
    {
        // D5: no platform, the only ATLAS row of the UIC is 100 m away (too far for tier 3).
        var zip = new GtfsFeedBuilder().With("stops.txt", StopsHeader, "8503000,Zürich HB,47,8,,").WriteTo(_dir);
        AtlasPlatform[] atlas = [Atlas("ch:1:sloid:3000:0:1", "8503000", "1", 47 + (100 * DegreesPerMeter), 8), Atlas("ch:1:sloid:3001:0:1", "8503001", "1", 47, 8)];

        var resolution = Read(zip, atlas).ResolutionOf("8503000");

        Assert.Equal(GtfsResolutionMethod.UniqueNumber, resolution.Method);
        Assert.Equal(["ch:1:sloid:3000:0:1"], resolution.Sloids);
        Assert.Equal(0.6, resolution.Confidence);
        Assert.Null(resolution.DistanceMeters);
    }

    [Fact]
    public void Read_ReturnsAllDuplicateSloids_WhenAtlasHasTwoRowsWithTheSameNumberAndDesignation()
    {
        var zip = new GtfsFeedBuilder().With("stops.txt", StopsHeader, "8503000:0:3,Zürich HB,47,8,,").WriteTo(_dir);
        AtlasPlatform[] atlas = [Atlas("ch:1:sloid:3000:0:b", "8503000", "3"), Atlas("ch:1:sloid:3000:0:a", "8503000", "03")];

        var resolution = Read(zip, atlas).ResolutionOf("8503000:0:3");

        Assert.Equal(GtfsResolutionMethod.UicPlatform, resolution.Method);
        Assert.Equal(["ch:1:sloid:3000:0:a", "ch:1:sloid:3000:0:b"], resolution.Sloids);
    }

    [Fact]
    public void Read_CountsEachTier_WhenStopsResolveByDifferentMethods()
    {
        var zip = new GtfsFeedBuilder()
            .With("stops.txt", StopsHeader,
                "8503000:0:9,A,47,8,,ch:1:sloid:3000:1:1",
                "8503000:0:2,A,47,8,,",
                "8503001,B,47.2,8.2,,",
                "8509999,C,47.3,8.3,,")
            .WriteTo(_dir);
        AtlasPlatform[] atlas = [Atlas("ch:1:sloid:3000:1:1", "8503000", "1"), Atlas("ch:1:sloid:3000:2:2", "8503000", "2"), Atlas("ch:1:sloid:3001", "8503001", "")];

        var counts = Read(zip, atlas).Counts;

        Assert.Equal(1, counts.StopsByMethod[GtfsResolutionMethod.OriginalStopId]);
        Assert.Equal(1, counts.StopsByMethod[GtfsResolutionMethod.UicPlatform]);
        Assert.Equal(0, counts.StopsByMethod[GtfsResolutionMethod.CoordinateProximity]);
        Assert.Equal(1, counts.StopsByMethod[GtfsResolutionMethod.UniqueNumber]);
        Assert.Equal(1, counts.Unmatched);
    }

    [Theory]
    [InlineData(45.82)]
    [InlineData(46.8)]
    [InlineData(47.8)]
    public void Read_FindsEveryPairWithinHalfAMetreAndNoneBeyond_WhateverTheBearingOrGridCell(double latitude)
    {
        // 24 bearings × 2 distances; each case has its own UIC (and a far second ATLAS row so tier 4 cannot decide).
        // The ATLAS points drift by a few centimetres per case, so the pairs straddle grid cells in every way.
        var stopLines = new List<string> { StopsHeader };
        var atlas = new List<AtlasPlatform>();
        var expected = new Dictionary<string, bool>();
        var uic = 8510000;
        foreach (var distance in new[] { 0.49, 0.51 })
        {
            for (var bearing = 0; bearing < 360; bearing += 15)
            {
                uic++;
                var (lat, lon) = (latitude + (uic % 97 * 0.037 * DegreesPerMeter), 8 + (uic % 89 * 0.053 * DegreesPerMeter));
                var radians = bearing * Math.PI / 180;
                var stopLat = lat + (distance * Math.Cos(radians) * DegreesPerMeter);
                var stopLon = lon + (distance * Math.Sin(radians) * DegreesPerMeter / Math.Cos(lat * Math.PI / 180));
                var number = uic.ToString(CultureInfo.InvariantCulture);
                stopLines.Add($"{number},S,{Format(stopLat)},{Format(stopLon)},,");
                atlas.Add(Atlas($"ch:1:sloid:{number}:near", number, "", lat, lon));
                atlas.Add(Atlas($"ch:1:sloid:{number}:far", number, "", lat + 0.01, lon));
                expected[number] = distance < GtfsStopResolver.ProximityMeters;
            }
        }

        var zip = new GtfsFeedBuilder().With("stops.txt", [.. stopLines]).WriteTo(_dir);

        var result = Read(zip, atlas);

        Assert.All(result.Resolutions, r => Assert.Equal(
            expected[r.StopId] ? GtfsResolutionMethod.CoordinateProximity : GtfsResolutionMethod.Unmatched, r.Method));
        Assert.Equal(24, result.Counts.StopsByMethod[GtfsResolutionMethod.CoordinateProximity]);
    }

    [Fact]
    public void Read_ParsesTheCurrentSloidShape_WhenStopIdsAreSloidsWithDidok()
    {
        // Current feed shape: SLOID stop_ids, original_stop_id = stop_id, the UIC only in didok, platforms in platform_code.
        var zip = new GtfsFeedBuilder()
            .With("stops.txt",
                "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,platform_code,original_stop_id,didok",
                "ch:1:sloid:10,Basel SBB,47.5474,7.5896,1,,,ch:1:sloid:10,8500010",
                "ch:1:sloid:10:1:1,Basel SBB,47.5475,7.5897,,ch:1:sloid:10,1,ch:1:sloid:10:1:1,8500010",
                "ch:1:sloid:10:2:2,Basel SBB,47.5476,7.5898,,ch:1:sloid:10,2,ch:1:sloid:10:2:2,8500010",
                "de:08111:6115,Stuttgart Hbf,48.7843,9.1817,,,,,")
            .WriteTo(_dir);
        AtlasPlatform[] atlas = [Atlas("ch:1:sloid:10:1:1", "8500010", "1"), Atlas("ch:1:sloid:10:3:2", "8500010", "2")];

        var result = Read(zip, atlas);

        Assert.Equal(3, result.Counts.SwissStops);
        Assert.Equal(1, result.Counts.NotSwissPrefix);
        var station = result.StopOf("ch:1:sloid:10");
        Assert.Equal(("8500010", GtfsIdentityLevel.Station), (station.UicNumber, station.IdentityLevel));
        var platform = result.StopOf("ch:1:sloid:10:2:2");
        Assert.Equal("8500010", platform.UicNumber);
        Assert.Null(platform.LocalRef);
        Assert.Equal("2", platform.NormalizedLocalRef);
        Assert.Equal(GtfsIdentityLevel.Platform, platform.IdentityLevel);
        Assert.Equal(GtfsResolutionMethod.OriginalStopId, result.ResolutionOf("ch:1:sloid:10:1:1").Method);
        var byPlatform = result.ResolutionOf("ch:1:sloid:10:2:2");
        Assert.Equal((GtfsResolutionMethod.UicPlatform, "ch:1:sloid:10:3:2"), (byPlatform.Method, Assert.Single(byPlatform.Sloids)));
    }

    [Fact]
    public void Read_KeepsStopsBySwissIdAndBorder_WhenDidokOriginalOrStopIdStartsWith85AndThePointIsInside()
    {
        var zip = new GtfsFeedBuilder()
            .With("stops.txt",
                "stop_id,stop_name,stop_lat,stop_lon,original_stop_id,didok",
                "8503000:0:1,By stop_id,47.3,8.5,,",
                "x1,By original_stop_id,47.3,8.5,8503001:0:1,",
                "x2,By didok,47.3,8.5,,8503002",
                "8000105,Frankfurt,50.1,8.6,,",
                "8500090,Basel Bad Bf (German territory),47.56,7.61,,")
            .WriteTo(_dir);

        var result = Read(zip, border: (lat, _) => lat < 47.5);

        Assert.Equal(["8503000:0:1", "x1", "x2"], result.Stops.Select(s => s.StopId));
        Assert.Equal(("8503001", "1"), (result.StopOf("x1").UicNumber, result.StopOf("x1").LocalRef));
        Assert.Equal("8503002", result.StopOf("x2").UicNumber);
        Assert.Equal(1, result.Counts.NotSwissPrefix);
        Assert.Equal(1, result.Counts.OutsideBorder);
    }

    [Fact]
    public void Read_DerivesIdentityLevels_FromLocationTypePlatformAndParent()
    {
        var zip = new GtfsFeedBuilder()
            .With("stops.txt",
                "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,platform_code",
                "8500218P,Olten,47.35,7.90,1,,",
                "8500218:0:7,Olten,47.35,7.90,,8500218P,",
                "8500218:0:,Olten,47.35,7.90,,8500218P,",
                "8500218,Olten,47.35,7.90,,,",
                "8500219,Olten Hammer,47.35,7.90,0,,A")
            .WriteTo(_dir);

        var result = Read(zip);

        Assert.Equal(
            [GtfsIdentityLevel.Station, GtfsIdentityLevel.Platform, GtfsIdentityLevel.ChildStop, GtfsIdentityLevel.Stop, GtfsIdentityLevel.Platform],
            result.Stops.Select(s => s.IdentityLevel));
        Assert.Equal("child_stop", GtfsLabels.Of(result.StopOf("8500218:0:").IdentityLevel));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
