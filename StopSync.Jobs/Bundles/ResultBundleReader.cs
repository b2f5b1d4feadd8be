using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Sources.Atlas;
using StopSync.Jobs.Sources.Osm;

namespace StopSync.Jobs.Bundles;

public sealed record ResultBundle(string Directory, BundleManifest Manifest, PublicationInput Result, IReadOnlyList<string> Diagnostics);

/// <summary>The checks of docs/04-pipeline.md#result-bundle, before any database work.</summary>
public static class ResultBundleReader
{
    public static ResultBundle Read(string directory)
    {
        var root = Path.GetFullPath(directory);
        var manifest = ReadManifest(root);
        // The sections are parsed side by side; results are taken in bundle order, so the first broken section in that
        // order is the one reported, whichever thread finished first.
        var sourcesTask = Task.Run(() => ReadSection<SourceStopRow>(root, manifest, ResultBundleFormat.SourceStops));
        var osmTask = Task.Run(() => ReadSection<OsmNodeRow>(root, manifest, ResultBundleFormat.OsmNodes));
        var matchesTask = Task.Run(() => ReadSection<MatchRow>(root, manifest, ResultBundleFormat.Matches));
        var unmatchedTask = Task.Run(() => ReadSection<UnmatchedRow>(root, manifest, ResultBundleFormat.Unmatched));
        var groupsTask = Task.Run(() => ReadSection<GroupRow>(root, manifest, ResultBundleFormat.Groups));
        var problemsTask = Task.Run(() => ReadSection<ProblemRow>(root, manifest, ResultBundleFormat.Problems));
        var routesTask = Task.Run(() => ReadSection<RouteRow>(root, manifest, ResultBundleFormat.Routes));
        var extensionsTask = Task.Run(() => ReadSection<ExtensionRow>(root, manifest, ResultBundleFormat.Extensions));
        var diagnosticsTask = Task.Run(() => ReadSection<KindValueRow>(root, manifest, ResultBundleFormat.Diagnostics));
        Task.WhenAll([sourcesTask, osmTask, matchesTask, unmatchedTask, groupsTask, problemsTask, routesTask, extensionsTask, diagnosticsTask])
            .ContinueWith(_ => { }, TaskScheduler.Default).Wait();
        var sources = sourcesTask.GetAwaiter().GetResult();
        var osm = osmTask.GetAwaiter().GetResult();
        var matches = matchesTask.GetAwaiter().GetResult();
        var unmatched = unmatchedTask.GetAwaiter().GetResult();
        var groups = groupsTask.GetAwaiter().GetResult();
        var problems = problemsTask.GetAwaiter().GetResult();
        var routes = routesTask.GetAwaiter().GetResult();
        var extensions = extensionsTask.GetAwaiter().GetResult();
        var diagnostics = diagnosticsTask.GetAwaiter().GetResult();
        var stops = Assemble(sources, osm, matches, unmatched, problems);
        var (platforms, elements, problemList) = (stops.Platforms, stops.Elements, stops.Problems);
        var (units, duplicates) = ReadGroups(groups, platforms, elements);
        var result = new PublicationInput(stops.Matches, stops.UnmatchedAtlas, stops.UnmatchedOsm, problemList, units, duplicates)
        {
            Routes = RouteBundleSections.ReadRoutes(routes, problemList),
            GtfsIdentity = RouteBundleSections.ReadGtfsStops(extensions),
        };
        var notes = diagnostics.Select(d => d.Row.Value.ValueKind == JsonValueKind.String ? d.Row.Value.GetString()! : d.Row.Value.GetRawText()).ToList();
        return new ResultBundle(root, manifest, result, notes);
    }

    /// <summary>
    /// The sections the run-to-run comparison needs (docs/10-history.md, "What changed"): source stops, OSM elements,
    /// matches, unmatched and problems, with the same checks as <see cref="Read"/> on each; groups, routes, extensions
    /// and diagnostics are left unread, so the result has no stop units, duplicate groups or routes.
    /// </summary>
    public static ResultBundle ReadForComparison(string directory)
    {
        var root = Path.GetFullPath(directory);
        var manifest = ReadManifest(root);
        var sourcesTask = Task.Run(() => ReadSection<SourceStopRow>(root, manifest, ResultBundleFormat.SourceStops));
        var osmTask = Task.Run(() => ReadSection<OsmNodeRow>(root, manifest, ResultBundleFormat.OsmNodes));
        var matchesTask = Task.Run(() => ReadSection<MatchRow>(root, manifest, ResultBundleFormat.Matches));
        var unmatchedTask = Task.Run(() => ReadSection<UnmatchedRow>(root, manifest, ResultBundleFormat.Unmatched));
        var problemsTask = Task.Run(() => ReadSection<ProblemRow>(root, manifest, ResultBundleFormat.Problems));
        Task.WhenAll([sourcesTask, osmTask, matchesTask, unmatchedTask, problemsTask]).ContinueWith(_ => { }, TaskScheduler.Default).Wait();
        var stops = Assemble(sourcesTask.GetAwaiter().GetResult(), osmTask.GetAwaiter().GetResult(), matchesTask.GetAwaiter().GetResult(),
            unmatchedTask.GetAwaiter().GetResult(), problemsTask.GetAwaiter().GetResult());
        return new ResultBundle(root, manifest, new PublicationInput(stops.Matches, stops.UnmatchedAtlas, stops.UnmatchedOsm, stops.Problems, [], []), []);
    }

    private sealed record AssembledStops(
        Dictionary<string, AtlasPlatform> Platforms, Dictionary<string, OsmElement> Elements, List<AtlasOsmMatch> Matches,
        List<UnmatchedAtlasPlatform> UnmatchedAtlas, List<UnmatchedOsmElement> UnmatchedOsm, List<DetectedProblem> Problems);

    private static AssembledStops Assemble(
        List<(long Line, SourceStopRow Row)> sources, List<(long Line, OsmNodeRow Row)> osm, List<(long Line, MatchRow Row)> matches,
        List<(long Line, UnmatchedRow Row)> unmatched, List<(long Line, ProblemRow Row)> problems)
    {
            var platforms = Index(sources, ResultBundleFormat.SourceStops, r => r.Key, ToPlatform);
            var elements = Index(osm, ResultBundleFormat.OsmNodes, r => r.Key, ToElement);
            var covered = new HashSet<string>(StringComparer.Ordinal);

            var matchList = new List<AtlasOsmMatch>(matches.Count);
            var pairs = new HashSet<(string, string)>();
            foreach (var (line, m) in matches)
            {
                var atlas = Resolve(platforms, m.SourceKey, ResultBundleFormat.Matches, line);
                var element = Resolve(elements, m.OsmKey, ResultBundleFormat.Matches, line);
                if (!pairs.Add((m.SourceKey, m.OsmKey)))
                {
                    // Each pair is one published row; a repeated pair would collide with itself in the database.
                    throw Error(ResultBundleFormat.Matches, line, $"the pair '{m.SourceKey}' ↔ '{m.OsmKey}' appears twice");
                }

                RequireFinite(m.DistanceM, ResultBundleFormat.Matches, line, "distance_m");
                covered.Add(m.SourceKey);
                covered.Add(m.OsmKey);
                matchList.Add(new AtlasOsmMatch(atlas, element, m.MatchType, m.DistanceM, m.Notes ?? "", m.Evidence ?? new MatchEvidence(m.MatchType, m.DistanceM)));
            }

            var unmatchedAtlas = new List<UnmatchedAtlasPlatform>();
            var unmatchedOsm = new List<UnmatchedOsmElement>();
            foreach (var (line, u) in unmatched)
            {
                if (!covered.Add(u.Key))
                {
                    throw Error(ResultBundleFormat.Unmatched, line, $"'{u.Key}' is already matched or listed as unmatched; an entity is either matched or unmatched, once");
                }

                switch (u.Side)
                {
                    case ResultBundleFormat.SourceSide:
                        unmatchedAtlas.Add(new UnmatchedAtlasPlatform(Resolve(platforms, u.Key, ResultBundleFormat.Unmatched, line), u.Isolated));
                        break;
                    case ResultBundleFormat.OsmSide:
                        unmatchedOsm.Add(new UnmatchedOsmElement(Resolve(elements, u.Key, ResultBundleFormat.Unmatched, line), u.Isolated, u.EffectivelyMatched));
                        break;
                    default:
                        throw Error(ResultBundleFormat.Unmatched, line, $"side '{u.Side}' is neither 'source' nor 'osm'");
                }
            }

            RequireCovered(platforms.Keys, covered, ResultBundleFormat.SourceStops);
            RequireCovered(elements.Keys, covered, ResultBundleFormat.OsmNodes);

            var problemList = new List<DetectedProblem>(problems.Count);
            var problemIds = new HashSet<string>(problems.Count, StringComparer.Ordinal);
            foreach (var (line, p) in problems)
            {
                if (!problemIds.Add(p.ProblemId))
                {
                    // The id is the problem's key in the published table, which reviewers' decisions hang on: one problem per key.
                    throw Error(ResultBundleFormat.Problems, line, $"the problem id '{p.ProblemId}' appears twice");
                }

                if (p.SourceKey is null && p.OsmKey is null)
                {
                    throw Error(ResultBundleFormat.Problems, line, $"problem '{p.ProblemId}' names neither a source stop nor an OSM element");
                }

                var sloid = p.SourceKey is null ? null : Resolve(platforms, p.SourceKey, ResultBundleFormat.Problems, line).Sloid;
                var osmId = p.OsmKey is null ? null : Resolve(elements, p.OsmKey, ResultBundleFormat.Problems, line).Id;
                if (p.Priority is < 1 or > 3)
                {
                    throw Error(ResultBundleFormat.Problems, line, $"priority {p.Priority} is outside 1..3");
                }

                problemList.Add(new DetectedProblem(p.ProblemId, p.ProblemType, p.Priority, sloid, osmId, p.HasSourceDuplicate, p.HasOsmDuplicate, p.Evidence));
            }

        return new AssembledStops(platforms, elements, matchList, unmatchedAtlas, unmatchedOsm, problemList);
    }

    /// <summary>Reads only the manifest (to list bundles or show what a directory holds), validating its header.</summary>
    public static BundleManifest ReadManifest(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ResultBundleException($"The result bundle directory '{directory}' does not exist.");
        }

        var path = Path.Combine(directory, ResultBundleFormat.ManifestFile);
        if (!File.Exists(path))
        {
            throw new ResultBundleException($"'{directory}' is not a result bundle: {ResultBundleFormat.ManifestFile} is missing.");
        }

        BundleManifest? manifest;
        try
        {
            using var stream = File.OpenRead(path);
            using var json = JsonDocument.Parse(stream);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ResultBundleException($"{path}: the manifest is not a JSON object.");
            }

            var version = json.RootElement.TryGetProperty("schema_version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)
                ? n
                : (int?)null;
            if (version != ResultBundleFormat.SchemaVersion)
            {
                throw new ResultBundleException(
                    $"{path}: schema_version {version?.ToString(CultureInfo.InvariantCulture) ?? "(missing)"} is not supported (expected {ResultBundleFormat.SchemaVersion}).");
            }

            manifest = json.RootElement.Deserialize<BundleManifest>(ResultBundleFormat.Json);
        }
        catch (JsonException ex)
        {
            throw new ResultBundleException($"{path}: not a valid manifest: {ex.Message}", ex);
        }

        RequireManifestFields(path, manifest);
        return manifest;
    }

    /// <summary>The fields publication and the bundle store rely on; a missing one would otherwise surface as a null deep inside.</summary>
    private static void RequireManifestFields(string path, [System.Diagnostics.CodeAnalysis.NotNull] BundleManifest? manifest)
    {
        if (manifest is null)
        {
            throw new ResultBundleException($"{path}: the manifest is empty.");
        }

        var missing = manifest.RunId == Guid.Empty ? "run_id"
            : manifest.GeneratedAt == default ? "generated_at"
            : string.IsNullOrEmpty(manifest.ProfileId) ? "profile_id"
            : manifest.Metadata is null ? "metadata"
            : null;
        if (missing is not null)
        {
            throw new ResultBundleException($"{path}: '{missing}' is missing.");
        }

        var files = manifest.Files ?? throw new ResultBundleException($"{path}: 'files' is missing.");
        foreach (var section in ResultBundleFormat.Sections)
        {
            if (!files.TryGetValue(section, out var file) || file is null || string.IsNullOrEmpty(file.Name) || string.IsNullOrEmpty(file.Sha256))
            {
                throw new ResultBundleException($"{path}: the section '{section}' is not listed under 'files' with its name, rows, bytes and sha256.");
            }
        }
    }

    private static List<(long Line, T Row)> ReadSection<T>(string root, BundleManifest manifest, string section)
    {
        var entry = manifest.Files[section];
        var name = Path.GetFileName(entry.Name);
        var path = Path.Combine(root, name);
        if (name != entry.Name || !File.Exists(path))
        {
            throw new ResultBundleException($"{Path.Combine(root, entry.Name)}: the '{section}' file listed in the manifest does not exist.");
        }

        using (var check = File.OpenRead(path))
        {
            if (check.Length != entry.Bytes)
            {
                throw new ResultBundleException($"{path}: {check.Length} bytes, but the manifest says {entry.Bytes}.");
            }

            var digest = Convert.ToHexStringLower(SHA256.HashData(check));
            if (!string.Equals(digest, entry.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ResultBundleException($"{path}: SHA-256 {digest} does not match the manifest ({entry.Sha256}).");
            }
        }

        var rows = new List<(long, T)>(entry.Rows is > 0 and < int.MaxValue ? (int)entry.Rows : 0);
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        long line = 0;
        try
        {
            while (reader.ReadLine() is { } text)
            {
                line++;
                T? row;
                try
                {
                    row = JsonSerializer.Deserialize<T>(text, ResultBundleFormat.Json);
                }
                catch (JsonException ex) when (reader.EndOfStream)
                {
                    throw Error(section, line, "the file ends in the middle of a row (truncated?)", ex);
                }
                catch (JsonException ex)
                {
                    throw Error(section, line, $"not a valid row: {ex.Message.TrimEnd('.')}", ex);
                }

                rows.Add((line, row ?? throw Error(section, line, "the row is null")));
            }
        }
        catch (InvalidDataException ex)
        {
            // Damaged compressed data (the digest matched a manifest that was changed along with it).
            throw new ResultBundleException($"{path}: not readable gzip data after line {line}: {ex.Message}", ex);
        }

        if (line != entry.Rows)
        {
            throw new ResultBundleException($"{path}: {line} rows, but the manifest says {entry.Rows}.");
        }

        return rows;
    }

    private static Dictionary<string, TValue> Index<TRow, TValue>(
        List<(long Line, TRow Row)> rows, string section, Func<TRow, string> key, Func<TRow, string, long, TValue> convert)
    {
        var index = new Dictionary<string, TValue>(rows.Count, StringComparer.Ordinal);
        foreach (var (line, row) in rows)
        {
            var k = key(row);
            if (!index.TryAdd(k, convert(row, section, line)))
            {
                throw Error(section, line, $"the key '{k}' appears twice");
            }
        }

        return index;
    }

    private static AtlasPlatform ToPlatform(SourceStopRow r, string section, long line)
    {
        if (!ResultBundleFormat.TryParseSourceKey(r.Key ?? "", out var sloid) || sloid != r.Sloid)
        {
            throw Error(section, line, $"the key '{r.Key}' is not 'atlas:' followed by the row's sloid '{r.Sloid}'");
        }

        RequireCoordinates(r.Lat, r.Lon, section, line);
        var details = new AtlasPlatformDetails(r.DesignationOperational, r.ParentServicePointSloid, r.ElementType, r.ValidFrom, r.ValidTo,
            r.CompassDirection, r.Lv95East, r.Lv95North, r.EditionDate);
        return new AtlasPlatform(r.Sloid, r.UicRef ?? "", r.Designation ?? "", r.DesignationOfficial ?? "", r.OperatorAbbr ?? "",
            r.Lat, r.Lon, r.OperatorSboid ?? "", r.OperatorName ?? "")
        {
            // A bundle written before the details existed gives the platform none, as the reader of such a file would.
            Details = details == NoDetails ? null : details,
        };
    }

    private static readonly AtlasPlatformDetails NoDetails = new();

    private static OsmElement ToElement(OsmNodeRow r, string section, long line)
    {
        if (!ResultBundleFormat.TryParseOsmKey(r.Key ?? "", out var id) || id != r.NodeId)
        {
            throw Error(section, line, $"the key '{r.Key}' does not name the row's node_id '{r.NodeId}'");
        }

        RequireCoordinates(r.Lat, r.Lon, section, line);
        return new OsmElement(r.NodeId, r.ElementType ?? "node", r.Lat, r.Lon, r.Tags ?? new Dictionary<string, string>())
        {
            Operator = r.Operator, Version = r.Version, Timestamp = r.Timestamp, User = r.User,
        };
    }

    private static (List<StopUnit> Units, List<AtlasDuplicateGroup> Duplicates) ReadGroups(
        List<(long Line, GroupRow Row)> groups, Dictionary<string, AtlasPlatform> platforms, Dictionary<string, OsmElement> elements)
    {
        var units = new List<StopUnit>();
        var duplicates = new List<AtlasDuplicateGroup>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (line, g) in groups)
        {
            foreach (var member in g.Members ?? [])
            {
                if (!seen.TryAdd($"{g.GroupType}|{member.Key}", g.GroupId))
                {
                    throw Error(ResultBundleFormat.Groups, line,
                        $"'{member.Key}' is in group '{g.GroupId}' and in group '{seen[$"{g.GroupType}|{member.Key}"]}' ({g.GroupType} groups must be disjoint)");
                }
            }

            switch (g.GroupType)
            {
                case ResultBundleFormat.OsmStopUnitGroup:
                    var unit = new StopUnit(g.GroupId, g.Kind, g.GroupKind,
                        [.. (g.Members ?? []).Select(m => new StopUnitMember(Resolve(elements, m.Key, ResultBundleFormat.Groups, line).Id, m.Role))]);
                    RequireStopUnit(unit, line);
                    units.Add(unit);
                    break;
                case ResultBundleFormat.AtlasDuplicateGroup:
                    var members = (g.Members ?? []).Select(m => Resolve(platforms, m.Key, ResultBundleFormat.Groups, line)).ToList();
                    if (members.Count < 2)
                    {
                        throw Error(ResultBundleFormat.Groups, line, $"duplicate group '{g.GroupId}' has fewer than two members");
                    }

                    duplicates.Add(new AtlasDuplicateGroup(members[0].Number, members[0].Designation, members));
                    break;
                default:
                    throw Error(ResultBundleFormat.Groups, line, $"unknown group_type '{g.GroupType}'");
            }
        }

        return (units, duplicates);
    }

    /// <summary>What the database's checks on osm_stops and osm_stop_members would refuse, refused here with the line.</summary>
    private static void RequireStopUnit(StopUnit unit, long line)
    {
        var error = !StopUnitKinds.Kinds.Contains(unit.Kind) ? $"kind '{unit.Kind}' is not single, pair or trio"
            : unit.GroupKind is not null && !StopUnitKinds.GroupKinds.Contains(unit.GroupKind) ? $"group_kind '{unit.GroupKind}' is unknown"
            : unit.Members.FirstOrDefault(m => !StopUnitKinds.Roles.Contains(m.Role)) is { } badRole ? $"role '{badRole.Role}' is unknown"
            : unit.Members.All(m => m.OsmId != unit.UnitId) ? $"its group_id '{unit.UnitId}' is not one of its members"
            : null;
        if (error is not null)
        {
            throw Error(ResultBundleFormat.Groups, line, $"stop unit '{unit.UnitId}': {error}");
        }
    }

    private static T Resolve<T>(Dictionary<string, T> index, string key, string section, long line) =>
        index.TryGetValue(key ?? "", out var value) ? value : throw Error(section, line, $"'{key}' names no entity of the bundle");

    private static void RequireCovered(IEnumerable<string> keys, HashSet<string> covered, string section)
    {
        var missing = keys.Where(k => !covered.Contains(k)).Take(3).ToList();
        if (missing.Count > 0)
        {
            throw new ResultBundleException(
                $"{ResultBundleFormat.FileName(section)}: {string.Join(", ", missing)} is neither matched nor listed as unmatched.");
        }
    }

    internal static void RequireCoordinates(double lat, double lon, string section, long line)
    {
        RequireFinite(lat, section, line, "lat");
        RequireFinite(lon, section, line, "lon");
        if (lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            throw Error(section, line, string.Create(CultureInfo.InvariantCulture, $"coordinates ({lat}, {lon}) are out of range"));
        }
    }

    private static void RequireFinite(double value, string section, long line, string field)
    {
        if (!double.IsFinite(value))
        {
            throw Error(section, line, $"{field} is not a finite number");
        }
    }

    internal static ResultBundleException Error(string section, long line, string message, Exception? inner = null) =>
        new($"{ResultBundleFormat.FileName(section)} line {line.ToString(CultureInfo.InvariantCulture)}: {message}.", inner);
}
