using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using StopSync.Jobs.Pipeline.Bundle;
using StopSync.Jobs.Pipeline.Matching.Engine;
using StopSync.Jobs.Pipeline.Publication;
using StopSync.Tests.Jobs.Pipeline.Matching;

namespace StopSync.Tests.Jobs.Pipeline.Bundle;

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
        }

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

    private string Write(string? path = null)
    {
        var output = Output.Value;
        path ??= Path.Combine(_root, Guid.NewGuid().ToString("D"));
        ResultBundleWriter.Write(path, new BundleContent(Guid.NewGuid(), DateTimeOffset.UtcNow, PublicationInput.From(output), output.Diagnostics,
            new { atlas = "test" }, new { matching = output.Summary }, [new("quality_metrics", output.Summary)]));
        return path;
    }

    private static string Describe(StopUnit unit) =>
        $"{unit.UnitId}|{unit.Kind}|{unit.GroupKind}|{string.Join(",", unit.Members.Select(m => m.OsmId + ":" + m.Role))}";

    private static List<string> Lines(string path, string section)
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
    private static void RewriteSection(string path, string section, Action<List<string>> edit)
    {
        var lines = Lines(path, section);
        edit(lines);
        var file = Path.Combine(path, section + ".jsonl.gz");
        using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        }

        var bytes = File.ReadAllBytes(file);
        EditManifest(path, m =>
        {
            var entry = m["files"]![section]!;
            entry["rows"] = lines.Count;
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
