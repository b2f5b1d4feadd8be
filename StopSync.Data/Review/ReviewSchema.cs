namespace StopSync.Data.Review;

/// <summary>
/// Accounts and decisions live in their own schema: the publication swaps only tables of <c>public</c>, so nothing
/// here is ever replaced or truncated by a data refresh (docs/09-review.md).
/// </summary>
public static class ReviewSchema
{
    public const string Name = "review";
}
