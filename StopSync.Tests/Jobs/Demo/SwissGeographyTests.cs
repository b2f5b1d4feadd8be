using StopSync.Jobs.Demo;

namespace StopSync.Tests.Jobs.Demo;

public sealed class SwissGeographyTests
{
    [Theory]
    [InlineData("Sion", 46.2276, 7.3590)]
    [InlineData("Brig", 46.3193, 7.9881)]
    [InlineData("Davos Platz", 46.7949, 9.8215)]
    [InlineData("St. Moritz", 46.4979, 9.8448)]
    [InlineData("Bellinzona", 46.1955, 9.0296)]
    [InlineData("Locarno", 46.1725, 8.8013)]
    [InlineData("Neuchâtel", 46.9966, 6.9355)]
    [InlineData("Aarau", 47.3914, 8.0513)]
    [InlineData("Delémont", 47.3621, 7.3500)]
    [InlineData("Yverdon-les-Bains", 46.7815, 6.6405)]
    [InlineData("Frauenfeld", 47.5580, 8.8985)]
    [InlineData("Weinfelden", 47.5667, 9.1069)]
    [InlineData("Thun", 46.7548, 7.6297)]
    public void Contains_IsTrue_ForSwissTowns(string name, double lat, double lon)
    {
        Assert.True(SwissGeography.Contains(new GeoPoint(lat, lon)), name);
    }

    [Fact]
    public void Contains_IsTrue_ForTheStationsOfTheTwelveRealTowns()
    {
        Assert.All(RealTowns.All, t => Assert.True(SwissGeography.Contains(t.Station), t.Name));
    }

    [Theory]
    [InlineData("Annemasse", 46.1934, 6.2373)]
    [InlineData("Divonne-les-Bains", 46.3570, 6.1400)]
    [InlineData("Évian-les-Bains", 46.4007, 6.5896)]
    [InlineData("Chamonix", 45.9237, 6.8694)]
    [InlineData("Aosta", 45.7372, 7.3206)]
    [InlineData("Domodossola", 46.1157, 8.2925)]
    [InlineData("Como", 45.8081, 9.0852)]
    [InlineData("Campione d'Italia", 45.9685, 8.9715)]
    [InlineData("Tirano", 46.2163, 10.1689)]
    [InlineData("Livigno", 46.5380, 10.1354)]
    [InlineData("Feldkirch", 47.2406, 9.6004)]
    [InlineData("Vaduz", 47.1410, 9.5215)]
    [InlineData("Bregenz", 47.5031, 9.7471)]
    [InlineData("Konstanz", 47.6633, 9.1755)]
    [InlineData("Lörrach", 47.6156, 7.6613)]
    [InlineData("Saint-Louis", 47.5903, 7.5566)]
    [InlineData("Mulhouse", 47.7508, 7.3359)]
    [InlineData("Pontarlier", 46.9048, 6.3549)]
    [InlineData("Lake Neuchâtel", 46.9000, 6.8300)]
    [InlineData("Lake Zurich", 47.2480, 8.6700)]
    public void Contains_IsFalse_AbroadAndOnTheBigLakes(string name, double lat, double lon)
    {
        Assert.False(SwissGeography.Contains(new GeoPoint(lat, lon)), name);
    }

    [Theory]
    [InlineData(46.2, 6.1, "French")]
    [InlineData(46.0, 8.95, "Italian")]
    [InlineData(47.38, 8.54, "German")]
    [InlineData(46.23, 7.36, "French")]
    public void LanguageAt_GivesTheRegionsLanguage(double lat, double lon, string expected)
    {
        Assert.Equal(expected, SwissGeography.LanguageAt(new GeoPoint(lat, lon)).ToString());
    }
}
