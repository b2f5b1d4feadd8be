using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;

namespace StopSync.Jobs.Bundles;

public sealed record BundleContent(
    Guid RunId,
    DateTimeOffset GeneratedAt,
    PublicationInput Result,
    IReadOnlyList<string> Diagnostics,
    object Inputs,
    object Summary,
    IReadOnlyList<KeyValuePair<string, object>> Extensions);

/// <summary>Sections first, manifest last, then a rename: a bundle directory is complete or absent.</summary>
public static class ResultBundleWriter
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>A gzip member of zero bytes: header (deflate, no flags, Unix), an empty final block, CRC-32 0, size 0.</summary>
    private static readonly byte[] EmptyGzipMember =
        [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    public static BundleManifest Write(string directory, BundleContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target))
        {
            throw new IOException($"Result bundle directory '{target}' already exists; bundles are never overwritten.");
        }

        var partial = target + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Directory.CreateDirectory(partial);
        try
        {
            var files = WriteSections(partial, content);
            var manifest = new BundleManifest(
                ResultBundleFormat.SchemaVersion,
                EngineVersion(),
                content.RunId,
                content.GeneratedAt,
                ResultBundleFormat.ProfileId,
                new BundleMetadata(
                    new BundleCapabilities(
                        Routes: RouteBundleSections.HasRoutes(content.Result.Routes),
                        GtfsIdentity: RouteBundleSections.HasGtfsStops(content.Result.GtfsIdentity)),
                    ResultBundleFormat.ProfileId,
                    JsonSerializer.SerializeToElement(content.Inputs, StatsJson.Options),
                    JsonSerializer.SerializeToElement(content.Summary, StatsJson.Options)),
                files);
            using (var stream = File.Create(Path.Combine(partial, ResultBundleFormat.ManifestFile)))
            {
                JsonSerializer.Serialize(stream, manifest, ResultBundleFormat.Json);
            }

            Directory.Move(partial, target);
            return manifest;
        }
        catch
        {
            Directory.Delete(partial, recursive: true);
            throw;
        }
    }

    private static Dictionary<string, BundleFile> WriteSections(string directory, BundleContent content)
    {
        var result = content.Result;
        var atlas = result.AtlasPlatforms();
        var osm = result.OsmElements();
        var k = ResultBundleFormat.SourceKey;
        var o = ResultBundleFormat.OsmKey;
        // Sections are independent files: written side by side (serialisation and gzip are CPU-bound).
        var writers = new Dictionary<string, Func<BundleFile>>
        {
            [ResultBundleFormat.SourceStops] = () => WriteSection(directory, ResultBundleFormat.SourceStops, atlas.Select(p => new SourceStopRow(
                k(p.Sloid), p.Sloid, p.Number, p.Designation, p.DesignationOfficial, p.OperatorAbbreviation, p.OperatorId, p.OperatorName, p.Lat, p.Lon,
                p.Details?.DesignationOperational, p.Details?.ParentServicePointSloid, p.Details?.ElementType, p.Details?.ValidFrom,
                p.Details?.ValidTo, p.Details?.CompassDirection, p.Details?.Lv95East, p.Details?.Lv95North, p.Details?.EditionDate))),
            [ResultBundleFormat.OsmNodes] = () => WriteSection(directory, ResultBundleFormat.OsmNodes, osm.Select(e => new OsmNodeRow(
                o(e.Id), e.Id, e.ElementType, e.Lat, e.Lon, e.Operator, e.Tags, e.Version, e.Timestamp, e.User))),
            [ResultBundleFormat.Matches] = () => WriteSection(directory, ResultBundleFormat.Matches, result.Matches.Select(m => new MatchRow(
                k(m.Sloid), o(m.OsmId), m.MatchType, m.DistanceMeters, m.Notes, m.Evidence))),
            [ResultBundleFormat.Unmatched] = () => WriteSection(directory, ResultBundleFormat.Unmatched,
                result.UnmatchedAtlas.Select(u => new UnmatchedRow(ResultBundleFormat.SourceSide, k(u.Sloid), u.Isolated, false))
                    .Concat(result.UnmatchedOsm.Select(u => new UnmatchedRow(ResultBundleFormat.OsmSide, o(u.OsmId), u.Isolated, u.EffectivelyMatched)))),
            [ResultBundleFormat.Groups] = () => WriteSection(directory, ResultBundleFormat.Groups,
                result.StopUnits.Select(u => new GroupRow(u.UnitId, ResultBundleFormat.OsmStopUnitGroup, u.Kind, u.GroupKind,
                        [.. u.Members.Select(m => new GroupMemberRow(o(m.OsmId), m.Role))]))
                    .Concat(result.AtlasDuplicateGroups.Select(g => new GroupRow(g.Representative.Sloid, ResultBundleFormat.AtlasDuplicateGroup, "duplicate", null,
                        [.. g.Members.Select((m, i) => new GroupMemberRow(k(m.Sloid), i == 0 ? "representative" : "sibling"))])))),
            [ResultBundleFormat.Problems] = () => WriteSection(directory, ResultBundleFormat.Problems, result.Problems.Select(p => new ProblemRow(
                p.Id, p.Type, p.Priority, p.Sloid is null ? null : k(p.Sloid), p.OsmId is null ? null : o(p.OsmId), p.HasSourceDuplicate, p.HasOsmDuplicate,
                p.Evidence))),
            [ResultBundleFormat.Routes] = () => WriteSection(directory, ResultBundleFormat.Routes, RouteBundleSections.RouteRows(result.Routes)),
            [ResultBundleFormat.Extensions] = () => WriteSection(directory, ResultBundleFormat.Extensions, content.Extensions.Select(e =>
                    new ExtensionRow(e.Key, JsonSerializer.SerializeToElement(e.Value, StatsJson.Options)))
                .Concat(RouteBundleSections.GtfsStopRows(result.GtfsIdentity))),
            [ResultBundleFormat.Diagnostics] = () => WriteSection(directory, ResultBundleFormat.Diagnostics, content.Diagnostics.Select(d =>
                new KindValueRow("engine", JsonSerializer.SerializeToElement(d)))),
        };
        var files = new System.Collections.Concurrent.ConcurrentDictionary<string, BundleFile>();
        Parallel.ForEach(writers, w => files[w.Key] = w.Value());
        return ResultBundleFormat.Sections.ToDictionary(section => section, section => files[section]);
    }

    private static BundleFile WriteSection<T>(string directory, string section, IEnumerable<T> rows)
    {
        var name = ResultBundleFormat.FileName(section);
        var path = Path.Combine(directory, name);
        long count = 0;
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var json = new Utf8JsonWriter(gzip))
        {
            foreach (var row in rows)
            {
                JsonSerializer.Serialize(json, row, ResultBundleFormat.Json);
                json.Flush();
                gzip.Write(NewLine);
                json.Reset();
                count++;
            }
        }

        if (count == 0)
        {
            // GZipStream writes nothing at all for no input; strict readers (gzip -t, zcat) want one empty member.
            File.WriteAllBytes(path, EmptyGzipMember);
        }

        using var read = File.OpenRead(path);
        return new BundleFile(name, count, read.Length, Convert.ToHexStringLower(SHA256.HashData(read)));
    }

    private static string EngineVersion() =>
        typeof(ResultBundleWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
