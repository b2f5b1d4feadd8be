using StopSync.Web.Pages.Map.Search;

namespace StopSync.Tests.Web.Api;

public sealed class SearchTextTests
{
    [Theory]
    [InlineData(@"a%b_c\z", @"a\%b\_c\\z")]
    [InlineData("zürich hb", "zürich hb")]
    [InlineData(@"%%", @"\%\%")]
    [InlineData(@"\", @"\\")]
    [InlineData("", "")]
    public void EscapeLike_MakesEveryWildcardAndTheEscapeCharacterLiteral(string text, string expected) =>
        Assert.Equal(expected, SearchText.EscapeLike(text));

    [Theory]
    [InlineData(null, "")]
    [InlineData("  Zürich \t\n  HB  ", "zürich hb")]
    [InlineData("BERN", "bern")]
    [InlineData("a\u00a0\u00a0b", "a b")]
    public void Normalize_CollapsesWhitespaceTrimsAndLowerCases(string? query, string expected) =>
        Assert.Equal(expected, SearchText.Normalize(query));
}
