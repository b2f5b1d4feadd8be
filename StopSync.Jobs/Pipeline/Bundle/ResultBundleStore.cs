using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StopSync.Jobs.Pipeline.Bundle;

/// <summary>
/// The bundle directory (<c>Pipeline:Bundles:Directory</c>): one sub-directory per run, named by run id. Bundles of
/// failed runs are deleted by the runner, so what is listed here was published (or is being published right now).
/// </summary>
public sealed class ResultBundleStore(IOptions<PipelineOptions> options, ILogger<ResultBundleStore> logger)
{
    public string Root => Path.GetFullPath(options.Value.Bundles.Directory);

    public string PathFor(Guid runId) => Path.Combine(Root, runId.ToString("D"));

    /// <summary>The newest complete bundle (by its manifest's <c>generated_at</c>), or null when there is none.</summary>
    public string? Latest()
    {
        var bundles = List();
        return bundles.Count == 0 ? null : bundles[0].Directory;
    }

    /// <summary>Complete bundles, newest first; directories without a readable manifest are left out.</summary>
    public IReadOnlyList<(string Directory, BundleManifest Manifest)> List()
    {
        if (!System.IO.Directory.Exists(Root))
        {
            return [];
        }

        var bundles = new List<(string, BundleManifest)>();
        foreach (var directory in System.IO.Directory.EnumerateDirectories(Root).Where(d => !d.EndsWith(".partial", StringComparison.Ordinal)))
        {
            try
            {
                bundles.Add((directory, ResultBundleReader.ReadManifest(directory)));
            }
            catch (ResultBundleException ex)
            {
                logger.LogDebug("Not a usable bundle: {Error}", ex.Message);
            }
        }

        return [.. bundles.OrderByDescending(b => b.Item2.GeneratedAt)];
    }

    public void Delete(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not delete result bundle {Directory}", directory);
        }
    }

    /// <summary>Keeps the newest <c>Pipeline:Bundles:Keep</c> bundles (always the one just published) and deletes the rest.</summary>
    public int Prune(string published)
    {
        var keep = Math.Max(1, options.Value.Bundles.Keep);
        var stale = List().Select(b => b.Directory)
            .Where(d => !string.Equals(Path.GetFullPath(d), Path.GetFullPath(published), StringComparison.Ordinal))
            .Skip(keep - 1)
            .ToList();
        foreach (var directory in stale)
        {
            logger.LogInformation("Deleting old result bundle {Directory}", directory);
            Delete(directory);
        }

        return stale.Count;
    }
}
