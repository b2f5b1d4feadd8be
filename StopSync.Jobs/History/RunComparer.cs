using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.History.Changes;
using StopSync.Jobs.Sources.Geography;

namespace StopSync.Jobs.History;

/// <summary>Finds the live publication's result bundle and compares a new bundle with it (docs/10-history.md, "What changed").</summary>
public sealed class RunComparer(NpgsqlDataSource dataSource, ResultBundleStore bundles, SwissCantons cantons, ILogger<RunComparer> logger)
{
    public const string FirstPublication = "first publication";

    public async Task<RunComparison> CompareWithLiveAsync(ResultBundle bundle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        Guid? previous = null;
        Guid? bundleRunId = null;
        await using (var command = dataSource.CreateCommand("SELECT run_id, manifest->>'run_id' FROM dataset_publication LIMIT 1"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                previous = reader.GetGuid(0);
                // Import runs publish a bundle another run wrote: the bundle directory is named after the writer.
                bundleRunId = !reader.IsDBNull(1) && Guid.TryParse(reader.GetString(1), out var written) ? written : previous;
            }
        }

        if (previous is null)
        {
            return RunComparison.None(null, FirstPublication);
        }

        var path = bundles.PathFor(bundleRunId!.Value);
        if (ResultBundleStore.Normalize(path) == ResultBundleStore.Normalize(bundle.Directory))
        {
            // Republishing the live bundle (an import of the same directory): nothing can have changed.
            return new RunComparison(previous, null, []);
        }

        if (!Directory.Exists(path))
        {
            var reason = $"the previous result bundle {bundleRunId:D} is no longer on disk (Pipeline:Bundles:Keep)";
            logger.LogWarning("Run-to-run changes not computed: {Reason}", reason);
            return RunComparison.None(previous, reason);
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var live = await Task.Run(() => ResultBundleReader.ReadForComparison(path), ct);
            var read = clock.Elapsed;
            var changes = await Task.Run(
                () => ChangeDetector.Detect(live.Result, bundle.Result, cantons.CantonOf, Differences(live.Manifest, bundle.Manifest)), ct);
            logger.LogInformation(
                "Compared with the live bundle {Bundle}: {Changes} changes (read {ReadSeconds:F2} s, compare {CompareSeconds:F2} s)",
                bundleRunId, changes.Count, read.TotalSeconds, (clock.Elapsed - read).TotalSeconds);
            return new RunComparison(previous, null, changes);
        }
        catch (Exception ex) when (ex is ResultBundleException or IOException or UnauthorizedAccessException or JsonException)
        {
            // The comparison is a report on the publication, never a reason to stop it.
            var reason = $"the previous result bundle {bundleRunId:D} could not be read: {ex.Message}";
            logger.LogWarning("Run-to-run changes not computed: {Reason}", reason);
            return RunComparison.None(previous, reason);
        }
    }

    /// <summary>What differs between two runs besides their ATLAS rows and OSM elements, from their manifests: the engine
    /// that matched, and the timetable (GTFS), which feeds route evidence and route problems but has no rows of its own
    /// among the compared entities.</summary>
    public static IReadOnlyList<SettingDifference> Differences(BundleManifest previous, BundleManifest current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var differences = new List<SettingDifference>();
        if (!string.Equals(previous.EngineVersion, current.EngineVersion, StringComparison.Ordinal))
        {
            differences.Add(new SettingDifference("engine_version", previous.EngineVersion, current.EngineVersion));
        }

        var (gtfsBefore, gtfsAfter) = (Input(previous, "gtfs"), Input(current, "gtfs"));
        if (!string.Equals(gtfsBefore, gtfsAfter, StringComparison.Ordinal))
        {
            differences.Add(new SettingDifference("gtfs_input", gtfsBefore, gtfsAfter));
        }

        return differences;
    }

    /// <summary>The identity of one input as the manifest records it: its size, ETag and Last-Modified.</summary>
    private static string? Input(BundleManifest manifest, string source)
    {
        if (manifest.Metadata?.Inputs is not { ValueKind: JsonValueKind.Array } inputs)
        {
            return null;
        }

        foreach (var input in inputs.EnumerateArray())
        {
            if (input.ValueKind == JsonValueKind.Object && input.TryGetProperty("source", out var name) && name.ValueKind == JsonValueKind.String
                && name.GetString() == source)
            {
                var bytes = input.TryGetProperty("bytes", out var b) ? b.ToString() : "";
                var etag = input.TryGetProperty("etag", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                var modified = input.TryGetProperty("last_modified", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return string.Join(' ', new[] { bytes + " bytes", etag, modified }.Where(p => !string.IsNullOrEmpty(p)));
            }
        }

        return null;
    }
}
