using StopSync.Jobs.Sources.Geography;

namespace StopSync.Tests.Jobs.Sources;

public sealed class SwissCantonsTests
{
    private static readonly SwissCantons Cantons = new();

    [Fact]
    public void Constructor_DecodesAllTwentySixCantons_FromTheEmbeddedBoundaries() => Assert.Equal(26, Cantons.Count);

    [Theory]
    [InlineData(47.3779, 8.5403, "ZH")]   // Zürich HB
    [InlineData(46.9490, 7.4391, "BE")]   // Bern
    [InlineData(46.0037, 8.9511, "TI")]   // Lugano
    [InlineData(46.2102, 6.1424, "GE")]   // Genève Cornavin
    [InlineData(47.5476, 7.5897, "BS")]   // Basel SBB
    [InlineData(46.4908, 9.8355, "GR")]   // St. Moritz
    [InlineData(46.2335, 7.3603, "VS")]   // Sion
    [InlineData(47.0502, 8.3093, "LU")]   // Luzern
    [InlineData(46.9923, 6.9311, "NE")]   // Neuchâtel
    [InlineData(47.3653, 7.3446, "JU")]   // Delémont
    public void CantonOf_ReturnsTheCantonContainingThePoint(double lat, double lon, string expected) =>
        Assert.Equal(expected, Cantons.CantonOf(lat, lon));

    [Theory]
    [InlineData(47.5500, 9.5200, "SG")]   // Lake Constance off Rorschach, 0.9 km from the shore outside every canton
    [InlineData(47.5200, 9.5800, "SG")]   // Lake Constance near the Austrian shore, 1.6 km from St. Gallen
    [InlineData(47.5937, 7.6107, "BS")]   // Weil am Rhein (Germany), 0.9 km beyond the border
    [InlineData(47.6633, 9.1755, "TG")]   // Konstanz (Germany), 0.7 km beyond Kreuzlingen
    [InlineData(45.8200, 9.0500, "TI")]   // Italy, 1.2 km beyond Chiasso
    public void CantonOf_ReturnsTheNearestCanton_WhenThePointIsOutsideButWithinTwoKilometres(double lat, double lon, string expected) =>
        Assert.Equal(expected, Cantons.CantonOf(lat, lon));

    [Theory]
    [InlineData(45.4642, 9.1900)]   // Milan
    [InlineData(47.6300, 7.6400)]   // Germany, 3.5 km from Basel-Stadt
    [InlineData(47.6000, 9.5500)]   // the middle of Lake Constance, 6 km from Thurgau
    [InlineData(47.7508, 7.3359)]   // Mulhouse
    [InlineData(0, 0)]
    public void CantonOf_ReturnsNull_WhenThePointIsFartherThanTwoKilometresFromEveryCanton(double lat, double lon) =>
        Assert.Null(Cantons.CantonOf(lat, lon));

    [Fact]
    public void CantonOf_GivesTheSameAnswers_WhenAFreshInstanceIsQueriedFromManyThreads()
    {
        // A grid over Switzerland and its surroundings: inside, near the border and far outside.
        var points = Enumerable.Range(0, 2_000).Select(i => (Lat: 45.7 + (i % 50 * 0.04), Lon: 5.9 + (i / 50 * 0.12))).ToArray();
        var fresh = new SwissCantons();

        var parallel = new string?[points.Length];
        Parallel.For(0, points.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = fresh.CantonOf(points[i].Lat, points[i].Lon));

        var sequential = points.Select(p => Cantons.CantonOf(p.Lat, p.Lon)).ToArray();
        Assert.Equal(sequential, parallel);
        Assert.Contains(sequential, c => c is null);
        Assert.Equal(26, sequential.Where(c => c is not null).Distinct().Count());
    }
}
