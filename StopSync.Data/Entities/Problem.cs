namespace StopSync.Data.Entities;

/// <summary>A problem found on one row of <see cref="StopMatch"/>; priority 1 is the most urgent.</summary>
public sealed class Problem
{
    public long Id { get; set; }
    public long StopId { get; set; }
    public StopMatch? Stop { get; set; }
    public required string ProblemType { get; set; }
    public int Priority { get; set; }

    /// <summary>
    /// The stable id of the result bundle (docs/07-matching.md#problems): the same problem keeps it from run to run, so
    /// decisions are keyed by it. Null only in data published before the review module existed.
    /// </summary>
    public string? ProblemKey { get; set; }

    /// <summary>JSON: what the problem rests on (values, distance bucket, members), compared run to run (docs/09-review.md, "Evidence").</summary>
    public string? Evidence { get; set; }
}
