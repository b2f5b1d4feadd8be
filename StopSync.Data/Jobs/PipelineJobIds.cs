namespace StopSync.Data.Jobs;

/// <summary>Ids of Hangfire recurring jobs; the web app triggers runs by id, so it never loads job types.</summary>
public static class PipelineJobIds
{
    public const string Pipeline = "pipeline";
}
