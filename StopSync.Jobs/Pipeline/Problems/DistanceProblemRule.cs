using StopSync.Jobs.Pipeline.Matching;

namespace StopSync.Jobs.Pipeline.Problems;

/// <summary>
/// The <c>distance</c> problem of a match record: P1 above 80 m, P2 above 25 m, P3 above 15 m. SBB platforms are
/// exempt from P1 and P2, because long trains make their mapped points legitimately far apart (they still get P3).
/// </summary>
public static class DistanceProblemRule
{
    public const string ProblemType = "distance";

    public static int? Priority(MatchRecord match)
    {
        var exempt = string.Equals(match.Atlas.OperatorAbbreviation.Trim(), "SBB", StringComparison.OrdinalIgnoreCase);
        return match.DistanceMeters switch
        {
            > 80 when !exempt => 1,
            > 25 when !exempt => 2,
            > 15 => 3,
            _ => null,
        };
    }
}
