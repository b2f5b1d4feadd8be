namespace StopSync.Jobs.Runs;

public enum PipelineMode
{
    Full,
    MatchImport,
    Import,
}

public static class PipelineModes
{
    public static string Name(this PipelineMode mode) => mode switch
    {
        PipelineMode.MatchImport => "match-import",
        PipelineMode.Import => "import",
        _ => "full",
    };
}
