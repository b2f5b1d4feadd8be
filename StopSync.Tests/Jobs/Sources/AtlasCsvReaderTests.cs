using System.IO.Compression;
using System.Text;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Jobs.Sources;

public sealed class AtlasCsvReaderTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 29);
    private static readonly string SamplePath = TestEnvironment.SharedData("upstream-sample", "sample_atlas.csv");
    private readonly string _dir = Directory.CreateTempSubdirectory("stopsync-atlas-").FullName;

    [Fact]
    public void Read_GivesTheSameRows_FromTheOlderZipForm()
    {
        var zipPath = Path.Combine(_dir, "traffic-points.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(SamplePath, "actual_date-swiss-only-traffic_point.csv");
        }

        var fromCsv = SourceReaderTests.Atlas().Read(SamplePath, Today);
        var fromZip = SourceReaderTests.Atlas().Read(zipPath, Today);

        Assert.Equal(fromCsv.Platforms, fromZip.Platforms);
    }

    [Fact]
    public void Read_AcceptsAByteOrderMark()
    {
        var path = Path.Combine(_dir, "bom.csv");
        File.WriteAllText(path, File.ReadAllText(SamplePath), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var result = SourceReaderTests.Atlas().Read(path, Today);

        Assert.Equal(40, result.Platforms.Count);
        Assert.Equal("ch:1:sloid:1405:2:2", result.Platforms[0].Sloid);
    }

    [Fact]
    public void Filters_ApplyInOrder_AndCountWhatEachRemoved()
    {
        var rows = new[]
        {
            Row("ch:1:sloid:1:0:1", country: "85"),                                           // kept
            Row("ch:1:sloid:2:0:1", country: "80", validTo: "2020-01-01"),                    // foreign (and expired: counted once, first)
            Row("ch:1:sloid:3:0:1", lat: 48.7784, lon: 9.1800),                               // Stuttgart: outside the border
            Row("ch:1:sloid:4:0:1", validTo: "2026-11-28"),                                   // expired yesterday
            Row("ch:1:sloid:5:0:1", validTo: "2026-11-29"),                                   // valid today: kept
            Row("ch:1:sloid:6:0:1", type: AtlasCsvReader.BoardingArea),                       // not a platform
        };
        var path = WriteAtlas(rows);

        var result = SourceReaderTests.Atlas().Read(path, Today);

        Assert.Equal(["ch:1:sloid:1:0:1", "ch:1:sloid:5:0:1"], result.Platforms.Select(p => p.Sloid));
        Assert.Equal(6, result.Counts.RawTotal);
        Assert.Equal(1, result.Counts.EliminatedByUicCountry);
        Assert.Equal(1, result.Counts.EliminatedByBorder);
        Assert.Equal(1, result.Counts.EliminatedByValidity);
        Assert.Equal(1, result.Counts.EliminatedByType);
        Assert.Equal(5, result.Counts.AfterUicCountryFilter);
        Assert.Equal(4, result.Counts.AfterBorderFilter);
        Assert.Equal(3, result.Counts.AfterValidityFilter);
        Assert.Equal(2, result.Counts.AfterTypeFilter);
        Assert.Equal(1, result.Counts.TypeCounts[AtlasCsvReader.BoardingArea]);
    }

    [Theory]
    [InlineData("wgs84North", "NaN", "not a finite coordinate")]
    [InlineData("wgs84East", "", "not a finite coordinate")]
    [InlineData("wgs84North", "95", "not a finite coordinate")]
    [InlineData("trafficPointElementType", "BOARDING_THING", "unknown trafficPointElementType")]
    [InlineData("validTo", "someday", "is not a date")]
    [InlineData("sloid", "", "empty sloid")]
    public void MalformedRow_IsCountedAndSkipped_AndTheRestIsRead(string column, string value, string reason)
    {
        _ = reason; // the reason goes to the log; the count is what the run reports
        var bad = Row("ch:1:sloid:9:0:9");
        bad[Array.IndexOf(Header, column)] = value;
        var path = WriteAtlas([Row("ch:1:sloid:1:0:1"), bad, Row("ch:1:sloid:2:0:1")]);

        var result = SourceReaderTests.Atlas().Read(path, Today);

        Assert.Equal(1, result.Counts.Malformed);
        Assert.Equal(["ch:1:sloid:1:0:1", "ch:1:sloid:2:0:1"], result.Platforms.Select(p => p.Sloid));
    }

    [Fact]
    public void RowWithTheWrongFieldCount_IsCountedAsMalformed()
    {
        var path = WriteAtlas([Row("ch:1:sloid:1:0:1")]);
        File.AppendAllText(path, "ch:1:sloid:2:0:1;2;85\n");

        var result = SourceReaderTests.Atlas().Read(path, Today);

        Assert.Equal(1, result.Counts.Malformed);
        Assert.Single(result.Platforms);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("sloid;number\n", "has no column 'uicCountryCode'")]
    public void UnusableFile_FailsWithOneMessageNamingTheFile(string content, string reason)
    {
        var path = Path.Combine(_dir, "atlas.csv");
        File.WriteAllText(path, content);

        var error = Assert.Throws<SourceFormatException>(() => SourceReaderTests.Atlas().Read(path, Today));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderWithoutRows_FailsWithAMessage()
    {
        var path = WriteAtlas([]);

        var error = Assert.Throws<SourceFormatException>(() => SourceReaderTests.Atlas().Read(path, Today));

        Assert.Contains("no rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptZip_FailsWithAMessageNamingTheFile()
    {
        var path = Path.Combine(_dir, "atlas.zip");
        File.WriteAllBytes(path, [(byte)'P', (byte)'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8]);

        var error = Assert.Throws<SourceFormatException>(() => SourceReaderTests.Atlas().Read(path, Today));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateGroups_JoinSameNumberAndDesignation_WithTheSmallestSloidAsRepresentative()
    {
        var path = WriteAtlas(
        [
            Row("ch:1:sloid:7:0:2", number: "8500007", designation: "A"),
            Row("ch:1:sloid:7:0:1", number: "8500007", designation: " A "),
            Row("ch:1:sloid:7:0:3", number: "8500007", designation: "B"),
            Row("ch:1:sloid:8:0:1", number: "8500008", designation: ""),
            Row("ch:1:sloid:8:0:2", number: "8500008", designation: ""),
        ]);

        var result = SourceReaderTests.Atlas().Read(path, Today);

        var group = Assert.Single(result.DuplicateGroups);
        Assert.Equal("ch:1:sloid:7:0:1", group.Representative.Sloid);
        Assert.Equal(["ch:1:sloid:7:0:1", "ch:1:sloid:7:0:2"], group.Members.Select(m => m.Sloid));
    }

    [Fact]
    public void Details_HoldEveryOptionalColumn_OfTheRealSample()
    {
        var result = SourceReaderTests.Atlas().Read(SamplePath, Today);

        Assert.All(result.Platforms, p => Assert.NotNull(p.Details));
        Assert.Equal(0, result.Counts.MalformedDetails);
        var vernayaz = Assert.Single(result.Platforms, p => p.Sloid == "ch:1:sloid:1405:2:2");
        Assert.Equal("ch:1:sboid:100001", vernayaz.OperatorId);
        Assert.Equal("Swiss Federal Railways SBB", vernayaz.OperatorName);
        Assert.Equal(
            new AtlasPlatformDetails("137", "ch:1:sloid:1405", AtlasCsvReader.BoardingPlatform, new DateOnly(2024, 11, 21), DateOnly.MaxValue,
                null, 2569079.34444, 1109756.93128, new DateTime(2024, 11, 21, 9, 6, 51)),
            vernayaz.Details);
        var vevey = Assert.Single(result.Platforms, p => p.Sloid == "ch:1:sloid:4957:0:1");
        Assert.Equal(357.0, vevey.Details!.CompassDirection);
        Assert.Equal(new DateOnly(2021, 12, 12), vevey.Details.ValidFrom);
        Assert.Equal(new DateTime(2024, 4, 8, 9, 47, 16), vevey.Details.EditionDate);
        Assert.Equal(DateTimeKind.Unspecified, vevey.Details.EditionDate!.Value.Kind);
    }

    [Theory]
    [InlineData("compassDirection", "abc")]
    [InlineData("compassDirection", "400")]
    [InlineData("lv95East", "east")]
    [InlineData("lv95North", "Infinity")]
    [InlineData("validFrom", "soon")]
    [InlineData("editionDate", "2024-13-45 99:00:00")]
    public void MalformedOptionalValue_IsStoredAsNullAndCounted_AndTheRowIsKept(string column, string value)
    {
        var good = Row("ch:1:sloid:1:0:1");
        good[Array.IndexOf(Header, "compassDirection")] = "90";
        good[Array.IndexOf(Header, "lv95East")] = "2600000.5";
        good[Array.IndexOf(Header, "lv95North")] = "1200000.5";
        good[Array.IndexOf(Header, "validFrom")] = "2020-01-01";
        good[Array.IndexOf(Header, "editionDate")] = "2024-04-08 09:47:16";
        var bad = (string[])good.Clone();
        bad[0] = "ch:1:sloid:2:0:1";
        bad[Array.IndexOf(Header, column)] = value;
        var path = WriteAtlas([good, bad]);
        var logger = new ListLogger<AtlasCsvReader>();

        var result = new AtlasCsvReader(new StopSync.Jobs.Sources.Geography.SwissBorder(), logger).Read(path, Today);

        Assert.Equal(0, result.Counts.Malformed);
        Assert.Equal(1, result.Counts.MalformedDetails);
        var (kept, reference) = (result.Platforms[1].Details!, result.Platforms[0].Details!);
        Assert.Equal("ch:1:sloid:2:0:1", result.Platforms[1].Sloid);
        // Only the malformed value is lost: every other detail of the row is read as in the good row.
        var expected = column switch
        {
            "compassDirection" => reference with { CompassDirection = null },
            "lv95East" => reference with { Lv95East = null },
            "lv95North" => reference with { Lv95North = null },
            "validFrom" => reference with { ValidFrom = null },
            _ => reference with { EditionDate = null },
        };
        Assert.Equal(expected, kept);
        var warning = Assert.Single(logger.Entries, e => e.Message.StartsWith("ATLAS row ", StringComparison.Ordinal));
        Assert.Contains($"{path}:3", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"{column} '{value}'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Details_AreNullPerColumn_WhenAnOlderFileLacksTheOptionalColumns()
    {
        string[] required =
        [
            "sloid", "uicCountryCode", "number", "validTo", "designation", "trafficPointElementType", "wgs84East", "wgs84North",
            "designationOfficial", "servicePointBusinessOrganisationAbbreviationEn",
        ];
        var full = Row("ch:1:sloid:1:0:1", validTo: "2030-06-30");
        var path = Path.Combine(_dir, "old.csv");
        File.WriteAllLines(path, [string.Join(';', required), string.Join(';', required.Select(c => full[Array.IndexOf(Header, c)]))]);

        var platform = Assert.Single(SourceReaderTests.Atlas().Read(path, Today).Platforms);

        Assert.Equal(new AtlasPlatformDetails(ElementType: AtlasCsvReader.BoardingPlatform, ValidTo: new DateOnly(2030, 6, 30)), platform.Details);
        Assert.Equal("", platform.OperatorId);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Header = File.ReadLines(SamplePath).First().Split(';');

    private static string[] Row(
        string sloid, string country = "85", string validTo = "9999-12-31", string type = AtlasCsvReader.BoardingPlatform,
        double lat = 46.9490, double lon = 7.4391, string number = "8507000", string designation = "1")
    {
        var fields = new string[Header.Length];
        Array.Fill(fields, "");
        void Set(string column, string value) => fields[Array.IndexOf(Header, column)] = value;
        Set("sloid", sloid);
        Set("uicCountryCode", country);
        Set("number", number);
        Set("validTo", validTo);
        Set("designation", designation);
        Set("trafficPointElementType", type);
        Set("wgs84North", lat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("wgs84East", lon.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("designationOfficial", "Bern");
        Set("servicePointBusinessOrganisationAbbreviationEn", "SBB");
        return fields;
    }

    private string WriteAtlas(IEnumerable<string[]> rows)
    {
        var path = Path.Combine(_dir, $"atlas-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, [string.Join(';', Header), .. rows.Select(r => string.Join(';', r))]);
        return path;
    }
}
