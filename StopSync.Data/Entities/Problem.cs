namespace StopSync.Data.Entities;

/// <summary>A problem found on one row of <see cref="StopMatch"/>; priority 1 is the most urgent.</summary>
public sealed class Problem
{
    public long Id { get; set; }
    public long StopId { get; set; }
    public StopMatch? Stop { get; set; }
    public required string ProblemType { get; set; }
    public int Priority { get; set; }
}
