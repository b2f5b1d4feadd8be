using Microsoft.Extensions.Options;
using RedLockNet;
using RedLockNet.SERedis;
using RedLockNet.SERedis.Configuration;
using StackExchange.Redis;
using StopSync.Data.Status;

namespace StopSync.Jobs.Runs;

public sealed class PipelineRunLock : IDisposable
{
    private readonly RedLockFactory _factory;
    private readonly string _resource;
    private readonly TimeSpan _lease;

    public PipelineRunLock(IConnectionMultiplexer redis, PipelineStatusStore store, IOptions<PipelineOptions> options)
    {
        // The key is used as named (no "redlock:" prefix), so operators and the status reader find it.
        _factory = RedLockFactory.Create([new RedLockMultiplexer(redis) { RedisKeyFormat = "{0}" }]);
        _resource = store.Keys.Lock;
        _lease = TimeSpan.FromSeconds(options.Value.Lock.LeaseSeconds);
    }

    // Null when another run holds the lock; throws when Redis did not answer (then nobody knows whether a run is active).
    public async Task<IRedLock?> TryAcquireAsync()
    {
        var handle = await _factory.CreateLockAsync(_resource, _lease);
        if (handle.IsAcquired)
        {
            return handle;
        }

        // RedLock.net swallows the connection error; with one Redis, "no quorum" means it could not be asked at all.
        var status = handle.Status;
        await handle.DisposeAsync();
        return status == RedLockStatus.Conflicted ? null
            : throw new RunLockUnavailableException($"Redis is unreachable: the run lock could not be taken ({status})");
    }

    public void Dispose() => _factory.Dispose();
}

public sealed class RunLockUnavailableException(string message) : Exception(message);
