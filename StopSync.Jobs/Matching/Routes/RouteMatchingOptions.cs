namespace StopSync.Jobs.Matching.Routes;

/// <param name="AllowUnknownDirection">Off (the Swiss rule): an itinerary pair is compared only when both direction ids are
/// known and equal. On: a pair where either side's direction is unknown is compared too, with a direction score of 0.5;
/// known and different directions never match.</param>
public sealed record RouteMatchingOptions(bool AllowUnknownDirection = false)
{
    public static RouteMatchingOptions Default { get; } = new();
}
