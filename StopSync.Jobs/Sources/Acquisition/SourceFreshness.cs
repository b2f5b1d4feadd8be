namespace StopSync.Jobs.Sources.Acquisition;

public sealed record FreshnessDecision(bool Unchanged, string Reason);

public static class SourceFreshness
{
    /// <summary>The validators in order of trust: an entity tag names the exact bytes, a modification date nearly so,
    /// and a file name or redirect target only changes when the publisher names a new release.</summary>
    private static readonly (string Name, Func<SourceSnapshot, string?> Value)[] Validators =
    [
        ("etag", s => s.ETag),
        ("last_modified", s => s.LastModified),
        ("download_filename", s => s.DownloadFilename),
        ("final_url", s => s.FinalUrl),
    ];

    /// <summary>Only the first validator present in both decides, so an equal file name cannot outvote a differing tag.</summary>
    public static FreshnessDecision Compare(SourceSnapshot? previous, SourceSnapshot current)
    {
        if (previous is null)
        {
            return new(false, "no earlier snapshot");
        }

        if (!previous.IsUsable)
        {
            return new(false, "the earlier snapshot has no usable validator");
        }

        if (!current.IsUsable)
        {
            var why = current.ProbeOk ? "the probe saw no validator" : $"the probe failed ({current.Error ?? $"HTTP {current.Status}"})";
            return new(false, why);
        }

        foreach (var (name, value) in Validators)
        {
            var before = value(previous);
            var now = value(current);
            if (SourceSnapshot.Has(before) && SourceSnapshot.Has(now))
            {
                return string.Equals(before, now, StringComparison.Ordinal)
                    ? new(true, $"{name} unchanged ({now})")
                    : new(false, $"{name} changed ({before} → {now})");
            }
        }

        return new(false, "no validator present in both snapshots");
    }
}
