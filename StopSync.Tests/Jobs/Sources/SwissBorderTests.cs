using StopSync.Jobs.Sources.Geography;

namespace StopSync.Tests.Jobs.Sources;

public sealed class SwissBorderTests
{
    private static readonly SwissBorder Border = new();

    [Theory]
    [InlineData(46.9490, 7.4391)]   // Bern
    [InlineData(47.5476, 7.5897)]   // Basel SBB, 1.5 km from France and Germany
    [InlineData(46.2102, 6.1424)]   // Genève Cornavin
    [InlineData(45.8323, 9.0312)]   // Chiasso, at the Italian border
    [InlineData(47.6504, 9.1750)]   // Kreuzlingen, at the German border
    [InlineData(46.4908, 9.8355)]   // St. Moritz
    public void Contains_SwissPlaces_IncludingTownsOnTheBorder(double lat, double lon) =>
        Assert.True(Border.Contains(lat, lon));

    [Theory]
    [InlineData(47.7508, 7.3359)]   // Mulhouse
    [InlineData(48.7784, 9.1800)]   // Stuttgart
    [InlineData(45.8100, 9.0850)]   // Como
    [InlineData(45.8992, 6.1294)]   // Annecy
    [InlineData(47.5031, 9.7471)]   // Bregenz
    public void Excludes_PlacesInNeighbouringCountries(double lat, double lon) =>
        Assert.False(Border.Contains(lat, lon));
}
