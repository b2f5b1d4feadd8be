using StopSync.Jobs.Sources.Gtfs;

namespace StopSync.Tests.Jobs.Sources.Gtfs;

public sealed class GtfsStopIdentityTests
{
    [Theory]
    [InlineData("8500218:0:7", null, null, null, "8500218", "7")]
    [InlineData("8503000", null, null, null, "8503000", null)]
    [InlineData("8500218P", null, null, null, null, null)]
    [InlineData("8500218:0:", null, null, null, "8500218", null)]
    [InlineData("8500218:0:7:extra", null, null, null, "8500218", "7:extra")]
    [InlineData("ch:1:sloid:10:1:1", "ch:1:sloid:10:1:1", "8500010", null, "8500010", null)]
    [InlineData("1234", "8503000:0:3", null, null, "8503000", "3")]
    [InlineData("8503001:0:4", "8503000", null, null, "8503000", "4")]
    [InlineData("8503001:0:4", "8503000:0:", null, null, "8503000", "4")]
    [InlineData("8500010:0:1", null, "8500011", null, "8500011", "1")]
    [InlineData("8500010:0:1", null, "85x", null, "8500010", "1")]
    [InlineData("ch:1:sloid:77", null, null, "8577777", "8577777", null)]
    [InlineData("8500010:0:1", null, null, "9999", "8500010", "1")]
    public void Parse_ReturnsUicAndLocalRef_ByTheOverrideRules(
        string stopId, string? originalStopId, string? didok, string? stopCode, string? expectedUic, string? expectedLocalRef)
    {
        var parsed = GtfsStopIdentity.Parse(stopId, originalStopId, didok, stopCode);

        Assert.Equal((expectedUic, expectedLocalRef), parsed);
    }

    [Theory]
    [InlineData("10000", "1")]
    [InlineData("10001", "2")]
    [InlineData("01", "1")]
    [InlineData(" 7 ", "7")]
    [InlineData("0", "0")]
    [InlineData("000", "000")]
    [InlineData("007A", "7A")]
    [InlineData("A", "A")]
    [InlineData("10002", "10002")]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    public void NormalizePlatform_ReturnsTheAtlasSpelling_ForGtfsPlatformValues(string? value, string? expected)
    {
        Assert.Equal(expected, GtfsStopIdentity.NormalizePlatform(value));
    }

    [Theory]
    [InlineData("route-j25", "route-jXX")]
    [InlineData("route-j1-j2", "route-jXX-jXX")]
    [InlineData("plain-route", "plain-route")]
    [InlineData("11-4-A-j25-1", "11-4-A-jXX-1")]
    [InlineData("91-m1-j26-1", "91-m1-jXX-1")]
    [InlineData("route-jx", "route-jx")]
    public void NormalizeRouteId_ReplacesEveryTimetableYearMarker(string routeId, string expected)
    {
        Assert.Equal(expected, GtfsStopIdentity.NormalizeRouteId(routeId));
    }

    [Theory]
    [InlineData("8503000:0:1", null, null, true)]
    [InlineData("ch:1:sloid:10:1:1", null, "8500010", true)]
    [InlineData("ch:1:sloid:10:1:1", "8500010:0:1", null, true)]
    [InlineData("8000105", null, null, false)]
    [InlineData("ch:1:sloid:10:1:1", "ch:1:sloid:10:1:1", null, false)]
    public void HasSwissPrefix_LooksAtDidokOriginalStopIdAndStopId(string stopId, string? originalStopId, string? didok, bool expected)
    {
        Assert.Equal(expected, GtfsStopIdentity.HasSwissPrefix(stopId, originalStopId, didok));
    }
}
