using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StopSync.Data.Exports;

/// <summary>
/// The export files of <see cref="ExportOptions.Directory"/>: <c>&lt;task&gt;.csv|geojson</c>, written as
/// <c>.part</c> and renamed when complete, so that a download never sees half a file.
/// </summary>
public sealed class ExportFiles(IOptions<ExportOptions> options, TimeProvider clock, ILogger<ExportFiles> logger)
{
    private const string PartSuffix = ".part";

    public string Directory => options.Value.FullDirectory;

    public string PathOf(string taskId, string format) =>
        Path.Combine(Directory, taskId + "." + ExportFormats.Extension(format));

    public string PartPathOf(string taskId, string format) => PathOf(taskId, format) + PartSuffix;

    /// <summary>A new file for the task, created with its directory.</summary>
    public FileStream CreatePart(string taskId, string format)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return new FileStream(PartPathOf(taskId, format), FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
    }

    public void Complete(string taskId, string format) => File.Move(PartPathOf(taskId, format), PathOf(taskId, format), overwrite: true);

    public void Delete(string taskId, string format)
    {
        File.Delete(PartPathOf(taskId, format));
        File.Delete(PathOf(taskId, format));
    }

    /// <summary>Deletes files last written before the retention; returns how many.</summary>
    public int DeleteExpired()
    {
        var directory = new DirectoryInfo(Directory);
        if (!directory.Exists)
        {
            return 0;
        }

        var cutoff = clock.GetUtcNow() - options.Value.Retention;
        var deleted = 0;
        foreach (var file in directory.EnumerateFiles())
        {
            if (!IsExportFile(file.Name) || file.LastWriteTimeUtc >= cutoff.UtcDateTime)
            {
                continue;
            }

            try
            {
                file.Delete();
                deleted++;
            }
            catch (IOException ex)
            {
                // A download still reading it on a system that locks open files: the next pass deletes it.
                logger.LogWarning("Could not delete the expired export {File}: {Error}", file.Name, ex.Message);
            }
        }

        return deleted;
    }

    // Only files this class writes: the directory may be shared with other data.
    private static bool IsExportFile(string name)
    {
        var bare = name.EndsWith(PartSuffix, StringComparison.Ordinal) ? name[..^PartSuffix.Length] : name;
        var extension = Path.GetExtension(bare).TrimStart('.');
        return ExportFormats.All.Contains(extension) && Guid.TryParseExact(Path.GetFileNameWithoutExtension(bare), "N", out _);
    }
}
