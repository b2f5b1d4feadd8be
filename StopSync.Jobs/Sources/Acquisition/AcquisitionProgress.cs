namespace StopSync.Jobs.Sources.Acquisition;

/// <param name="TotalBytes">The size of the whole file when the server announced it.</param>
public sealed record DownloadProgress(long BytesDone, long? TotalBytes);

public enum AcquisitionPhase
{
    Probing,
    Downloading,
    Finished,
}

/// <param name="Outcome">Set when <paramref name="Phase"/> is <see cref="AcquisitionPhase.Finished"/>.</param>
public sealed record AcquisitionProgress(
    SourceKind Source,
    AcquisitionPhase Phase,
    long BytesDone,
    long? TotalBytes,
    AcquisitionOutcome? Outcome = null);

/// <summary>Reports on the caller's thread, in order; <see cref="Progress{T}"/> would post to the thread pool and reorder.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
