using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;
using StopSync.Tests.Jobs.Matching;

namespace StopSync.Tests.Jobs.Bundles;

/// <summary>The result bundle on disk: what a run writes is what import mode reads, and a damaged bundle is refused.</summary>
public sealed class ResultBundleFormatTests : IDisposable
{
    private static readonly Lazy<MatchingOutput> Output = new(() => MatchingEngine.Run(SyntheticStopNetwork.Generate(seed: 7, stations: 180)));
    private readonly string _root = Directory.CreateTempSubdirectory("stopsync-bundle-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void WriteThenRead_GivesBackEveryMatchUnmatchedEntityProblemAndGroup()
    {
        var output = Output.Value;
        var path = Write();

        var read = ResultBundleReader.Read(path).Result;

        Assert.Equal(output.Matches.Select(m => (m.Sloid, m.OsmId, m.MatchType, m.DistanceMeters, m.Notes)),
            read.Matches.Select(m => (m.Sloid, m.OsmId, m.MatchType, m.DistanceMeters, m.Notes)));
        Assert.Equal(output.Matches.Select(m => m.Evidence.Rule), read.Matches.Select(m => m.Evidence.Rule));
        Assert.Equal(output.Matches.Select(m => m.Atlas), read.Matches.Select(m => m.Atlas));
        Assert.Equal(output.Matches.Select(m => (m.Osm.Lat, m.Osm.Lon, m.Osm.ElementType, m.Osm.Operator, m.Osm.Tag("name"))),
            read.Matches.Select(m => (m.Osm.Lat, m.Osm.Lon, m.Osm.ElementType, m.Osm.Operator, m.Osm.Tag("name"))));
        Assert.Equal(output.UnmatchedAtlas, read.UnmatchedAtlas);
        Assert.Equal(output.UnmatchedOsm.Select(u => (u.OsmId, u.Isolated, u.EffectivelyMatched)),
            read.UnmatchedOsm.Select(u => (u.OsmId, u.Isolated, u.EffectivelyMatched)));
        Assert.Equal(output.Problems, read.Problems);
        Assert.Equal(output.StopUnits.Select(Describe), read.StopUnits.Select(Describe));
        Assert.Equal(output.AtlasDuplicateGroups.Select(g => string.Join(",", g.Members.Select(m => m.Sloid))),
            read.AtlasDuplicateGroups.Select(g => string.Join(",", g.Members.Select(m => m.Sloid))));
        Assert.Contains(output.StopUnits, u => u.Kind != "single");
    }

    [Fact]
    public void WriteThenRead_GivesBackTheAtlasDetailsAndOsmMeta()
    {
        var input = WithDetailsAndMeta(PublicationInput.From(Output.Value));
        var path = Path.Combine(_root, Guid.NewGuid().ToString("D"));
        ResultBundleWriter.Write(path, new BundleContent(Guid.NewGuid(), DateTimeOffset.UtcNow, input, [], new { }, new { }, []));

        var read = ResultBundleReader.Read(path).Result;

        Assert.Equal(input.AtlasPlatforms().Select(p => (p.Sloid, p.Details)), read.AtlasPlatforms().Select(p => (p.Sloid, p.Details)));
        Assert.Equal(input.OsmElements().Select(e => (e.Id, e.Version, e.Timestamp, e.User)), read.OsmElements().Select(e => (e.Id, e.Version, e.Timestamp, e.User)));
        // Every platform carries details and some elements carry meta, so the comparison above is not between nulls.
        Assert.All(read.AtlasPlatforms(), p => Assert.NotNull(p.Details?.EditionDate));
        Assert.Contains(read.OsmElements(), e => e.User is not null);
        Assert.Contains(read.OsmElements(), e => e.User is null);
        Assert.All(read.AtlasPlatforms(), p => Assert.Equal(DateTimeKind.Unspecified, p.Details!.EditionDate!.Value.Kind));
    }

    [Fact]
    public void Read_GivesNoDetailsAndNoMeta_ForABundleWrittenBeforeTheyExisted()
    {
        var path = Write();
        // The rows as an older release wrote them: none of the optional fields, not even as null.
        Assert.DoesNotContain(Lines(path, ResultBundleFormat.SourceStops), l => l.Contains("valid_to", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(path, ResultBundleFormat.OsmNodes), l => l.Contains("version", StringComparison.Ordinal));

        var read = ResultBundleReader.Read(path).Result;

        Assert.All(read.AtlasPlatforms(), p => Assert.Null(p.Details));
        Assert.All(read.OsmElements(), e => Assert.Equal((null, null, null), (e.Version, e.Timestamp, e.User)));
    }

    [Fact]
    public void WriteThenRead_GivesBackEveryProblemsEvidence_AsAJsonObject()
    {
        var output = Output.Value;
        var path = Write();

        var read = ResultBundleReader.Read(path).Result;

        Assert.All(read.Problems, p => Assert.NotNull(p.Evidence));
        Assert.Equal(output.Problems.Select(p => p.Evidence!.ToJson()), read.Problems.Select(p => p.Evidence!.ToJson()));
        Assert.All(Lines(path, ResultBundleFormat.Problems), l => Assert.Equal(JsonValueKind.Object, JsonNode.Parse(l)!["evidence"]!.GetValueKind()));
        Assert.Contains(read.Problems, p => p.Evidence!.Differences is { Count: > 0 });
    }

    [Fact]
    public void Read_GivesNullEvidence_ForABundleWrittenBeforeIt()
    {
        var path = Write();
        RewriteSection(path, ResultBundleFormat.Problems, lines =>
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var row = JsonNode.Parse(lines[i])!.AsObject();
                row.Remove("evidence");
                lines[i] = row.ToJsonString();
            }
        });

        var read = ResultBundleReader.Read(path).Result;

        Assert.Equal(Output.Value.Problems.Count, read.Problems.Count);
        Assert.All(read.Problems, p => Assert.Null(p.Evidence));
    }

    [Fact]
    public void Manifest_ListsTheNineSections_WithRowCountsSizesAndDigests_AndKeysAreNamespaced()
    {
        var path = Write();

        var manifest = ResultBundleReader.ReadManifest(path);

        Assert.Equal(1, manifest.SchemaVersion);
        Assert.Equal(ResultBundleFormat.Sections.Order(), manifest.Files.Keys.Order());
        foreach (var (section, file) in manifest.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(path, file.Name));
            Assert.Equal(section + ".jsonl.gz", file.Name);
            Assert.Equal(bytes.LongLength, file.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
            Assert.Equal(file.Rows, Lines(path, section).Count);
            // A gzip member even without rows (routes is empty): strict readers refuse a zero-byte file.
            Assert.Equal([0x1f, 0x8b], bytes[..2]);
        }

        Assert.Equal(0, manifest.Files[ResultBundleFormat.Routes].Rows);

        Assert.Equal(Output.Value.Matches.Count, manifest.Files[ResultBundleFormat.Matches].Rows);
        Assert.All(Lines(path, ResultBundleFormat.SourceStops), l => Assert.StartsWith("{\"key\":\"atlas:ch:1:sloid:", l, StringComparison.Ordinal));
        Assert.All(Lines(path, ResultBundleFormat.OsmNodes), l => Assert.Matches("^\\{\"key\":\"osm:(node|way):[0-9]+\"", l));
        Assert.False(Directory.Exists(path + ".partial"));
    }

    [Fact]
    public void Write_RefusesToOverwriteAnExistingBundle()
    {
        var path = Write();

        var error = Assert.Throws<IOException>(() => Write(path));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAFileWhoseContentChanged_NamingTheFileAndTheDigest()
    {
        var path = Write();
        var file = Path.Combine(path, "problems.jsonl.gz");
        var bytes = File.ReadAllBytes(file);
        bytes[^5] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.Contains("problems.jsonl.gz", error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAnUnsupportedSchemaVersion()
    {
        var path = Write();
        EditManifest(path, m => m["schema_version"] = 2);

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.Contains("schema_version 2 is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAMissingSectionFile()
    {
        var path = Write();
        File.Delete(Path.Combine(path, "groups.jsonl.gz"));

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.Contains("groups.jsonl.gz", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAProblemNamingNoEntity_WithFileAndLine()
    {
        var path = Write();
        RewriteSection(path, ResultBundleFormat.Problems, lines =>
        {
            var row = JsonNode.Parse(lines[1])!.AsObject();
            row.Remove("source_key");
            row["osm_key"] = "osm:node:999999999999";
            lines[1] = row.ToJsonString();
        });

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.StartsWith("problems.jsonl.gz line 2: 'osm:node:999999999999' names no entity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAnEntityThatIsNeitherMatchedNorUnmatched()
    {
        var path = Write();
        string removed = "";
        RewriteSection(path, ResultBundleFormat.Unmatched, lines =>
        {
            var index = lines.FindIndex(l => l.Contains("\"side\":\"source\"", StringComparison.Ordinal));
            removed = JsonNode.Parse(lines[index])!["key"]!.GetValue<string>();
            lines.RemoveAt(index);
        });

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.Contains(removed, error.Message, StringComparison.Ordinal);
        Assert.Contains("neither matched nor listed as unmatched", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesOverlappingGroups()
    {
        var path = Write();
        RewriteSection(path, ResultBundleFormat.Groups, lines =>
        {
            var pair = lines.FindIndex(l => l.Contains("\"kind\":\"pair\"", StringComparison.Ordinal));
            var member = JsonNode.Parse(lines[pair])!["members"]![0]!["key"]!.GetValue<string>();
            lines.Add($"{{\"group_id\":\"extra\",\"group_type\":\"osm_stop_unit\",\"kind\":\"single\",\"members\":[{{\"key\":\"{member}\",\"role\":\"single\"}}]}}");
        });

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.Contains("groups.jsonl.gz line", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be disjoint", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind", "quad", "kind 'quad' is not single, pair or trio")]
    [InlineData("group_kind", "osm_pair_guess", "group_kind 'osm_pair_guess' is unknown")]
    [InlineData("group_id", "999", "its group_id '999' is not one of its members")]
    public void Read_RefusesAStopUnitTheDatabaseWouldRefuse_WithTheLine(string field, string value, string expected)
    {
        var path = Write();
        var line = 0;
        RewriteSection(path, ResultBundleFormat.Groups, lines =>
        {
            line = lines.FindIndex(l => l.Contains("\"kind\":\"pair\"", StringComparison.Ordinal));
            var row = JsonNode.Parse(lines[line])!.AsObject();
            row[field] = value;
            lines[line] = row.ToJsonString();
        });

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.StartsWith($"groups.jsonl.gz line {line + 1}: stop unit", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesCoordinatesOutOfRange()
    {
        var path = Write();
        RewriteSection(path, ResultBundleFormat.SourceStops, lines =>
        {
            var row = JsonNode.Parse(lines[0])!.AsObject();
            row["lat"] = 123.4;
            lines[0] = row.ToJsonString();
        });

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.StartsWith("source_stops.jsonl.gz line 1: coordinates (123.4,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAMatchPairListedTwice()
    {
        var path = Write();
        RewriteSection(path, ResultBundleFormat.Matches, lines => lines.Add(lines[0]));

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.StartsWith($"matches.jsonl.gz line {Output.Value.Matches.Count + 1}: the pair", error.Message, StringComparison.Ordinal);
        Assert.Contains("appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAProblemIdListedTwice()
    {
        // Two rows with one id would publish two problems under one key, and a decision would hang on either.
        var path = Write();
        RewriteSection(path, ResultBundleFormat.Problems, lines => lines.Add(lines[0]));

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.StartsWith($"problems.jsonl.gz line {Output.Value.Problems.Count + 1}: the problem id", error.Message, StringComparison.Ordinal);
        Assert.Contains("appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAnEntityThatIsBothMatchedAndUnmatched()
    {
        var path = Write();
        var matched = ResultBundleFormat.SourceKey(Output.Value.Matches[0].Sloid);
        RewriteSection(path, ResultBundleFormat.Unmatched, lines => lines.Insert(0, $"{{\"side\":\"source\",\"key\":\"{matched}\",\"isolated\":false,\"effectively_matched\":false}}"));

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.StartsWith($"unmatched.jsonl.gz line 1: '{matched}' is already matched", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run_id", null, "'run_id' is missing")]
    [InlineData("files", null, "'files' is missing")]
    [InlineData("schema_version", "\"1\"", "schema_version (missing) is not supported")]
    public void ReadManifest_RefusesAManifestMissingWhatPublicationNeeds_NamingTheFile(string field, string? json, string expected)
    {
        var path = Write();
        EditManifest(path, m =>
        {
            if (json is null)
            {
                m.AsObject().Remove(field);
            }
            else
            {
                m[field] = JsonNode.Parse(json);
            }
        });

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.ReadManifest(path));

        Assert.Contains(Path.Combine(path, "manifest.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadManifest_RefusesASectionListedWithoutItsFile()
    {
        var path = Write();
        EditManifest(path, m => m["files"]!["matches"] = null);

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.ReadManifest(path));

        Assert.Contains("the section 'matches' is not listed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesDamagedCompressedData_NamingTheFile()
    {
        var path = Write();
        var file = Path.Combine(path, "matches.jsonl.gz");
        var bytes = File.ReadAllBytes(file);
        for (var k = 20; k < 60; k++)
        {
            bytes[k] ^= 0x5A;
        }

        ReplaceFile(path, ResultBundleFormat.Matches, bytes, rows: null);

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.Contains("matches.jsonl.gz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SaysAFileIsTruncated_WhenItEndsInTheMiddleOfARow()
    {
        var path = Write();
        var text = string.Concat(Lines(path, ResultBundleFormat.Problems).Select(l => l + "\n"));
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text[..(text.Length / 2)]));
        }

        ReplaceFile(path, ResultBundleFormat.Problems, buffer.ToArray(), rows: null);

        var error = Assert.Throws<ResultBundleException>(() => ResultBundleReader.Read(path));

        Assert.StartsWith("problems.jsonl.gz line ", error.Message, StringComparison.Ordinal);
        Assert.Contains("ends in the middle of a row (truncated?)", error.Message, StringComparison.Ordinal);
    }

    private string Write(string? path = null)
    {
        var output = Output.Value;
        path ??= Path.Combine(_root, Guid.NewGuid().ToString("D"));
        ResultBundleWriter.Write(path, new BundleContent(Guid.NewGuid(), DateTimeOffset.UtcNow, PublicationInput.From(output), output.Diagnostics,
            new { atlas = "test" }, new { matching = output.Summary }, [new("quality_metrics", output.Summary)]));
        return path;
    }

    /// <summary>Details on every platform and meta on every other element, derived from the ids so each copy of an entity agrees.</summary>
    private static PublicationInput WithDetailsAndMeta(PublicationInput input)
    {
        AtlasPlatform P(AtlasPlatform p)
        {
            var n = (p.Sloid.Length * 7) % 360;
            return p with
            {
                Details = new AtlasPlatformDetails($"op {n}", "ch:1:sloid:" + n, AtlasCsvReader.BoardingPlatform, new DateOnly(2020, 1, 1 + (n % 28)),
                    n % 2 == 0 ? DateOnly.MaxValue : new DateOnly(2030, 6, 30), n % 3 == 0 ? null : n + 0.5, 2_600_000.125 + n, 1_200_000.5 + n,
                    new DateTime(2024, 4, 8, 9, 47, n % 60)),
            };
        }

        OsmElement E(OsmElement e) => e.Id.GetHashCode(StringComparison.Ordinal) % 2 == 0 ? e : e with
        {
            Version = 1 + (e.Id.Length % 9), Timestamp = new DateTimeOffset(2023, 5, 6, 7, 8, 9, TimeSpan.Zero).AddHours(e.Id.Length), User = "mapper " + e.Id,
        };

        var platforms = input.AtlasPlatforms().ToDictionary(p => p.Sloid, P, StringComparer.Ordinal);
        var elements = input.OsmElements().ToDictionary(e => e.Id, E, StringComparer.Ordinal);
        return input with
        {
            Matches = [.. input.Matches.Select(m => m with { Atlas = platforms[m.Sloid], Osm = elements[m.OsmId] })],
            UnmatchedAtlas = [.. input.UnmatchedAtlas.Select(u => u with { Platform = platforms[u.Sloid] })],
            UnmatchedOsm = [.. input.UnmatchedOsm.Select(u => u with { Element = elements[u.OsmId] })],
            AtlasDuplicateGroups = [.. input.AtlasDuplicateGroups.Select(g => g with { Members = [.. g.Members.Select(m => platforms[m.Sloid])] })],
        };
    }

    private static string Describe(StopUnit unit) =>
        $"{unit.UnitId}|{unit.Kind}|{unit.GroupKind}|{string.Join(",", unit.Members.Select(m => m.OsmId + ":" + m.Role))}";

    internal static List<string> Lines(string path, string section)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(path, section + ".jsonl.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Edits a section and updates its manifest entry, so only the content check can fail.</summary>
    internal static void RewriteSection(string path, string section, Action<List<string>> edit)
    {
        var lines = Lines(path, section);
        edit(lines);
        var file = Path.Combine(path, section + ".jsonl.gz");
        using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        }

        ReplaceFile(path, section, File.ReadAllBytes(file), lines.Count);
    }

    /// <summary>Writes a section's bytes and makes the manifest agree on size and digest (and rows when given).</summary>
    private static void ReplaceFile(string path, string section, byte[] bytes, int? rows)
    {
        File.WriteAllBytes(Path.Combine(path, section + ".jsonl.gz"), bytes);
        EditManifest(path, m =>
        {
            var entry = m["files"]![section]!;
            if (rows is not null)
            {
                entry["rows"] = rows.Value;
            }

            entry["bytes"] = bytes.LongLength;
            entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        });
    }

    private static void EditManifest(string path, Action<JsonNode> edit)
    {
        var file = Path.Combine(path, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(file))!;
        edit(manifest);
        File.WriteAllText(file, manifest.ToJsonString());
    }
}
