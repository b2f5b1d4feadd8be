using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace StopSync.Data.Exports;

/// <summary>
/// Export tasks in Redis, shared by the web app (creates, reads, cancels) and the jobs host (writes progress): per task
/// the state, the request, and a cancel mark. Every key expires after the retention, like the files.
/// </summary>
public sealed class ExportTaskStore(IConnectionMultiplexer redis, IOptions<ExportOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private string Prefix => options.Value.KeyPrefix;
    private TimeSpan Expiry => options.Value.Retention;

    private RedisKey StateKey(string id) => Prefix + "task:" + id;
    private RedisKey RequestKey(string id) => Prefix + "request:" + id;
    private RedisKey CancelKey(string id) => Prefix + "cancel:" + id;

    public async Task CreateAsync(ExportTaskState state, ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(state);
        var db = redis.GetDatabase();
        await db.StringSetAsync(RequestKey(state.TaskId), JsonSerializer.Serialize(request, Json), Expiry);
        await db.StringSetAsync(StateKey(state.TaskId), JsonSerializer.Serialize(state, Json), Expiry);
    }

    public async Task<ExportTaskState?> GetAsync(string id)
    {
        var value = await redis.GetDatabase().StringGetAsync(StateKey(id));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<ExportTaskState>(value.ToString(), Json);
    }

    public async Task<ExportRequest?> GetRequestAsync(string id)
    {
        var value = await redis.GetDatabase().StringGetAsync(RequestKey(id));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<ExportRequest>(value.ToString(), Json);
    }

    /// <summary>Writes the state unless the task was cancelled meanwhile (atomic with that check); false when cancelled.</summary>
    public async Task<bool> UpdateAsync(ExportTaskState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var transaction = redis.GetDatabase().CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(CancelKey(state.TaskId)));
        _ = transaction.StringSetAsync(StateKey(state.TaskId), JsonSerializer.Serialize(state, Json), Expiry);
        return await transaction.ExecuteAsync();
    }

    public async Task<bool> IsCancelledAsync(string id) => await redis.GetDatabase().KeyExistsAsync(CancelKey(id));

    /// <summary>Marks the task cancelled: the worker stops at its next chunk and writes no further state.</summary>
    public async Task<ExportTaskState?> CancelAsync(string id)
    {
        var state = await GetAsync(id);
        if (state is null)
        {
            return null;
        }

        var db = redis.GetDatabase();
        await db.StringSetAsync(CancelKey(id), "1", Expiry);
        var cancelled = state with { Status = ExportStatuses.Cancelled, EtaSeconds = null };
        await db.StringSetAsync(StateKey(id), JsonSerializer.Serialize(cancelled, Json), Expiry);
        return cancelled;
    }
}
