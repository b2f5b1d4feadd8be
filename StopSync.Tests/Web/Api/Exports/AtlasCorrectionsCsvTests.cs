using StopSync.Web.Pages.Problems.Exports;

namespace StopSync.Tests.Web.Api.Exports;

public sealed class AtlasCorrectionsCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"\"http://x\"\")")]
    [InlineData("+41 31", "'+41 31")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    public void Write_TurnsACellThatASpreadsheetWouldRunAsAFormula_IntoText(string note, string expectedCell)
    {
        var csv = AtlasCorrectionsCsv.Write([Row(note)]);

        Assert.Contains("," + Quoted(expectedCell) + ",", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LeavesOrdinaryValuesAsTheyAre()
    {
        var csv = AtlasCorrectionsCsv.Write([Row("platform moved in 2025")]);

        Assert.Contains(",platform moved in 2025,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("'", csv, StringComparison.Ordinal);
    }

    private static AtlasCorrection Row(string note) =>
        new("ch:1:sloid:7", "SBB", "designation", "3", "4", "123", "attributes", note, "Rita Reviewer", new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private static string Quoted(string cell) => cell.Contains('"', StringComparison.Ordinal) ? $"\"{cell}\"" : cell;
}
