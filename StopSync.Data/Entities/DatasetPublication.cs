namespace StopSync.Data.Entities;

/// <summary>The single row that says which pipeline run's dataset is live, with that run's statistics.</summary>
public sealed class DatasetPublication
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public Guid RunId { get; set; }
    public DateTimeOffset PublishedAt { get; set; }

    public string Manifest { get; set; } = "{}";
}
