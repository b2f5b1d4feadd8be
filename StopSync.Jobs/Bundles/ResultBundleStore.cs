using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Jobs.Runs;

namespace StopSync.Jobs.Bundles;

/// <summary>
/// Import takes only bundles with a receipt by default; a held bundle (<c>held.json</c>) waits for an administrator
/// (docs/04-pipeline.md, "Result bundle" and "Held runs").
/// </summary>
public sealed class ResultBundleStore(IOptions<PipelineOptions> options, ILogger<ResultBundleStore> logger)
{
    public const string ReceiptFile = "published.json";
    public const string HeldFile = "held.json";

    public string Root => Normalize(options.Value.Bundles.Directory);

    public string PathFor(Guid runId) => Path.Combine(Root, runId.ToString("D"));

    /// <summary>Absolute, without a trailing separator, so that <c>/data/bundles/x/</c> and <c>/data/bundles/x</c> compare equal.</summary>
    public static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    /// <summary>The newest published bundle (by its manifest's <c>generated_at</c>), or null when there is none.</summary>
    public string? Latest()
    {
        var bundles = Published();
        return bundles.Count == 0 ? null : bundles[0].Directory;
    }

    public IReadOnlyList<(string Directory, BundleManifest Manifest)> Published()
    {
        var bundles = new List<(string, BundleManifest)>();
        foreach (var directory in Directories().Where(IsPublished))
        {
            try
            {
                bundles.Add((directory, ResultBundleReader.ReadManifest(directory)));
            }
            catch (Exception ex) when (ex is ResultBundleException or IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Skipping result bundle {Directory}: {Error}", directory, ex.Message);
            }
        }

        return [.. bundles.OrderByDescending(b => b.Item2.GeneratedAt)];
    }

    /// <summary>Leaves the receipt that makes a bundle importable by default; bundles outside the store are left as they are.</summary>
    public void MarkPublished(string directory, Guid publishingRunId, DateTimeOffset at)
    {
        var full = Normalize(directory);
        if (!string.Equals(Path.GetDirectoryName(full), Root, StringComparison.Ordinal) || IsPublished(full))
        {
            return;
        }

        var temporary = Path.Combine(full, ReceiptFile + ".tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(new { published_by_run = publishingRunId, published_at = at }));
        File.Move(temporary, Path.Combine(full, ReceiptFile), overwrite: true);
    }

    /// <summary>Leaves the marker of a held run: its figures, so the bundle explains itself to whoever finds it on disk.</summary>
    public static void MarkHeld(string directory, Guid heldRunId, RunHold hold, DateTimeOffset at)
    {
        var full = Normalize(directory);
        var temporary = Path.Combine(full, HeldFile + ".tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(new HeldMarker(heldRunId, at, hold), PipelineStatusJson.Options));
        File.Move(temporary, Path.Combine(full, HeldFile), overwrite: true);
    }

    /// <summary>The held marker of a bundle directory, or null when it has none (or an unreadable one).</summary>
    public HeldMarker? ReadHeld(string directory)
    {
        var path = Path.Combine(Normalize(directory), HeldFile);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<HeldMarker>(File.ReadAllText(path), PipelineStatusJson.Options) : null;
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Ignoring the unreadable held marker {Path}: {Error}", path, ex.Message);
            return null;
        }
    }

    public static void ClearHeld(string directory) => File.Delete(Path.Combine(Normalize(directory), HeldFile));

    public void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not delete result bundle {Directory}", directory);
        }
    }

    /// <summary>Keeps the newest <c>Pipeline:Bundles:Keep</c> published bundles (always <paramref name="published"/>) and deletes the rest.</summary>
    public int Prune(string published)
    {
        var keep = Math.Max(1, options.Value.Bundles.Keep);
        var stale = Published().Select(b => b.Directory)
            .Where(d => !string.Equals(Normalize(d), Normalize(published), StringComparison.Ordinal))
            .Skip(keep - 1)
            .ToList();
        foreach (var directory in stale)
        {
            logger.LogInformation("Deleting old result bundle {Directory}", directory);
            Delete(directory);
        }

        return stale.Count;
    }

    /// <summary>Only safe while no run holds the run lock: a live run's bundle has no receipt yet either. Held bundles stay.</summary>
    public int DeleteUnpublished()
    {
        var leftovers = Directories(includePartial: true).Where(d => !IsPublished(d) && !IsHeld(d)).ToList();
        foreach (var directory in leftovers)
        {
            logger.LogWarning("Deleting result bundle {Directory}: it was never published", directory);
            Delete(directory);
        }

        return leftovers.Count;
    }

    private static bool IsPublished(string directory) => File.Exists(Path.Combine(directory, ReceiptFile));

    private static bool IsHeld(string directory) => File.Exists(Path.Combine(directory, HeldFile));

    private IEnumerable<string> Directories(bool includePartial = false) =>
        !Directory.Exists(Root) ? []
        : Directory.EnumerateDirectories(Root).Where(d => includePartial || !d.EndsWith(".partial", StringComparison.Ordinal));
}

/// <summary>The content of <c>held.json</c>.</summary>
public sealed record HeldMarker(Guid HeldRunId, DateTimeOffset HeldAt, RunHold Hold);
