namespace StopSync.Jobs.Runs;

/// <summary>full: probe, download what changed, match, publish; match-import: reuse the cached files; import: publish the last result.</summary>
public enum PipelineMode
{
    Full,
    MatchImport,
    Import,
}

public static class PipelineModes
{
    /// <summary>The name recorded in the run history and the status document, and taken by <c>run-pipeline --mode</c>.</summary>
    public static string Name(this PipelineMode mode) => mode switch
    {
        PipelineMode.MatchImport => "match-import",
        PipelineMode.Import => "import",
        _ => "full",
    };
}
