using System.Text.Json;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace StopSync.Data.Status;

// Only the run lock's holder writes the run's document; fields other writers own (next run, maintenance, skipped
// triggers) have keys of their own, merged by ReadAsync, so no writer can overwrite another's.
public sealed class PipelineStatusStore(IConnectionMultiplexer redis, IConfiguration configuration, TimeProvider clock)
{
    public const string DefaultKeyPrefix = "stopsync:pipeline:";

    public PipelineKeys Keys { get; } = new(configuration["Pipeline:KeyPrefix"] ?? DefaultKeyPrefix);

    public async Task<PipelineStatusDocument> ReadAsync()
    {
        var db = redis.GetDatabase();
        var values = await db.StringGetAsync([Keys.Status, Keys.NextRunAt, Keys.Maintenance, Keys.Skipped, Keys.Lock]);
        var document = Deserialize<PipelineStatusDocument>(values[0]) ?? new PipelineStatusDocument();
        document.NextRunAt = Deserialize<DateTimeOffset?>(values[1]);
        document.MaintenanceStartedAt = Deserialize<DateTimeOffset?>(values[2]);
        document.BlockingMaintenance = document.MaintenanceStartedAt is not null;
        document.LastSkipped = Deserialize<SkippedTrigger>(values[3]);
        if (document.Phases.Count == 0)
        {
            document.Phases = PipelinePhases.Plan();
        }

        // A live lock with a document that does not say so: a runner is starting, or the document was reset under it.
        if (!values[4].IsNull && document.Status != PipelineStates.Running)
        {
            document.Status = PipelineStates.Running;
            document.Phase = document.Phases.FirstOrDefault(p => p.Status == PhaseStatus.Waiting)?.Id ?? PipelinePhases.SourceCheck;
            document.Message = "Pipeline process active; waiting for its next progress update";
        }

        return document;
    }

    public async Task<PipelineStatusDocument?> ReadRunDocumentAsync() =>
        Deserialize<PipelineStatusDocument>(await redis.GetDatabase().StringGetAsync(Keys.Status));

    public async Task WriteRunDocumentAsync(PipelineStatusDocument document)
    {
        document.UpdatedAt = clock.GetUtcNow();
        // Side fields stored here are overwritten on read: their own keys are the truth.
        var copy = JsonSerializer.Serialize(document, PipelineStatusJson.Options);
        await redis.GetDatabase().StringSetAsync(Keys.Status, copy);
    }

    public async Task<bool> IsLockHeldAsync() => await redis.GetDatabase().KeyExistsAsync(Keys.Lock);

    public Task SetNextRunAtAsync(DateTimeOffset? next) => next is null
        ? redis.GetDatabase().KeyDeleteAsync(Keys.NextRunAt)
        : redis.GetDatabase().StringSetAsync(Keys.NextRunAt, JsonSerializer.Serialize(next.Value.ToUniversalTime()));

    public async Task SetBlockingMaintenanceAsync(bool blocking)
    {
        var db = redis.GetDatabase();
        if (blocking)
        {
            // Keep the original start when switched on twice: Elapsed counts from the first switch.
            await db.StringSetAsync(Keys.Maintenance, JsonSerializer.Serialize(clock.GetUtcNow()), when: When.NotExists);
        }
        else
        {
            await db.KeyDeleteAsync(Keys.Maintenance);
        }
    }

    public Task RecordSkippedAsync(string trigger, string message) =>
        redis.GetDatabase().StringSetAsync(Keys.Skipped, JsonSerializer.Serialize(new SkippedTrigger(clock.GetUtcNow(), trigger, message), PipelineStatusJson.Options));

    private static T? Deserialize<T>(RedisValue value) =>
        value.IsNullOrEmpty ? default : JsonSerializer.Deserialize<T>(value.ToString(), PipelineStatusJson.Options);
}

public sealed record PipelineKeys(string Prefix)
{
    public string Status => Prefix + "status";
    public string Lock => Prefix + "lock";
    public string NextRunAt => Prefix + "next_run_at";
    public string Maintenance => Prefix + "maintenance";
    public string Skipped => Prefix + "skipped";
}
