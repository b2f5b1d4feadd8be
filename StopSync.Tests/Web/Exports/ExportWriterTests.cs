using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;
using StopSync.Data.Exports;

namespace StopSync.Tests.Web.Exports;

/// <summary>The CSV and GeoJSON writers of the exports, on rows built here.</summary>
public sealed class ExportWriterTests
{
    private static readonly ExportColumn[] Columns =
    [
        new("Name"), new("Distance", ExportValueKind.Distance), new("Lat", ExportValueKind.Coordinate), new("Priority", ExportValueKind.WholeNumber),
    ];

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+41 79", "'+41 79")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Zürich, HB", "Zürich, HB")]
    public async Task Csv_WritesFormulaCellsAsText_AndQuotesPerRfc4180(string value, string expected)
    {
        var text = await WriteAsync(ExportFormats.Csv, new ExportRow(47.1, 8.2, [value, 12.345, 47.123456789, 2]));

        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).FromText(text);
        Assert.Equal(["Name", "Distance", "Lat", "Priority"], reader.Header.ColNames);
        Assert.True(reader.MoveNext());
        Assert.Equal((expected, "12.3", "47.123457", "2"),
            (reader.Current[0].ToString(), reader.Current[1].ToString(), reader.Current[2].ToString(), reader.Current[3].ToString()));
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_WritesMissingValuesAsNA_AndQuotesLineBreaks()
    {
        var text = await WriteAsync(ExportFormats.Csv, new ExportRow(null, null, ["a \"b\"\nc", null, null, null]));

        Assert.Equal("Name,Distance,Lat,Priority\r\n\"a \"\"b\"\"\nc\",N/A,N/A,N/A\r\n", text);
    }

    [Fact]
    public async Task GeoJson_WritesPointsInLonLatOrder_NullsForMissing_AndNullGeometryWithoutPosition()
    {
        var text = await WriteAsync(ExportFormats.GeoJson,
            new ExportRow(47.3781234567, 8.5401234567, ["=x", 3.14159, null, 1]),
            new ExportRow(null, null, ["", null, null, null]));

        using var json = JsonDocument.Parse(text);
        var features = json.RootElement.GetProperty("features");
        Assert.Equal("[8.540123,47.378123]", features[0].GetProperty("geometry").GetProperty("coordinates").GetRawText());
        var properties = features[0].GetProperty("properties");
        Assert.Equal(("=x", 3.1, JsonValueKind.Null, 1),
            (properties.GetProperty("Name").GetString(), properties.GetProperty("Distance").GetDouble(), properties.GetProperty("Lat").ValueKind,
                properties.GetProperty("Priority").GetInt32()));
        Assert.Equal(JsonValueKind.Null, features[1].GetProperty("geometry").ValueKind);
        Assert.Equal(JsonValueKind.Null, features[1].GetProperty("properties").GetProperty("Name").ValueKind);
    }

    private static async Task<string> WriteAsync(string format, params ExportRow[] rows)
    {
        using var writer = ExportWriter.For(format, Columns);
        using var stream = new MemoryStream();
        writer.Begin();
        foreach (var row in rows)
        {
            writer.Write(row);
        }

        writer.Finish();
        await writer.FlushToAsync(stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
