namespace StopSync.Jobs.Runs;

public enum PipelineMode
{
    Full,
    MatchImport,
    Import,
}

public static class PipelineModes
{
    // Also the value of run-pipeline --mode and of pipeline_runs.mode.
    public static string Name(this PipelineMode mode) => mode switch
    {
        PipelineMode.MatchImport => "match-import",
        PipelineMode.Import => "import",
        _ => "full",
    };
}
