using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace StopSync.Web.Infrastructure;

/// <summary>Permits per window of one policy.</summary>
public sealed class RateLimitRule
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Per-client limits of the JSON API (docs/05-api.md, "Rate limits"), configured under <c>RateLimits</c>, e.g.
/// <c>RateLimits__Data__PermitLimit=30</c>. Counters live in Redis, so every app replica counts against one budget.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Off for local load tests only: every request is then let through.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Prefix of the counter keys in Redis; replicas that share it share the counts.</summary>
    public string KeyPrefix { get; set; } = "stopsync:ratelimit:";

    public RateLimitRule Data { get; set; } = PerMinute(30);
    public RateLimitRule GlobalStats { get; set; } = PerMinute(30);
    public RateLimitRule RandomStop { get; set; } = PerMinute(30);
    public RateLimitRule Search { get; set; } = PerMinute(60);
    public RateLimitRule StopById { get; set; } = PerMinute(60);
    public RateLimitRule TopMatches { get; set; } = PerMinute(60);
    public RateLimitRule Operators { get; set; } = PerMinute(60);
    public RateLimitRule StopPopup { get; set; } = PerMinute(120);
    public RateLimitRule PipelineStatus { get; set; } = PerMinute(120);
    public RateLimitRule Exports { get; set; } = PerMinute(20);
    public RateLimitRule Problems { get; set; } = PerMinute(120);
    public RateLimitRule ProblemStats { get; set; } = PerMinute(120);
    public RateLimitRule Decisions { get; set; } = PerMinute(60);
    public RateLimitRule RouteStops { get; set; } = PerMinute(60);
    public RateLimitRule RouteOperators { get; set; } = PerMinute(60);
    public RateLimitRule GtfsStops { get; set; } = PerMinute(500);
    public RateLimitRule Changes { get; set; } = PerMinute(60);

    // Reports: starting one costs a whole read of the data, so few an hour; a page polls progress every 1.5 s.
    public RateLimitRule ReportAsync { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromHours(1) };
    public RateLimitRule ReportProgress { get; set; } = PerMinute(240);
    public RateLimitRule ReportDownload { get; set; } = PerMinute(20);
    public RateLimitRule ReportCancel { get; set; } = PerMinute(60);
    public RateLimitRule ReportSync { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromDays(1) };

    /// <summary>Every other endpoint under /api.</summary>
    public RateLimitRule Default { get; set; } = PerMinute(500);

    public RateLimitRule Rule(string policy) => policy switch
    {
        RateLimitPolicies.Data => Data,
        RateLimitPolicies.GlobalStats => GlobalStats,
        RateLimitPolicies.RandomStop => RandomStop,
        RateLimitPolicies.Search => Search,
        RateLimitPolicies.StopById => StopById,
        RateLimitPolicies.TopMatches => TopMatches,
        RateLimitPolicies.Operators => Operators,
        RateLimitPolicies.StopPopup => StopPopup,
        RateLimitPolicies.PipelineStatus => PipelineStatus,
        RateLimitPolicies.Exports => Exports,
        RateLimitPolicies.Problems => Problems,
        RateLimitPolicies.ProblemStats => ProblemStats,
        RateLimitPolicies.Decisions => Decisions,
        RateLimitPolicies.RouteStops => RouteStops,
        RateLimitPolicies.RouteOperators => RouteOperators,
        RateLimitPolicies.GtfsStops => GtfsStops,
        RateLimitPolicies.Changes => Changes,
        RateLimitPolicies.ReportAsync => ReportAsync,
        RateLimitPolicies.ReportProgress => ReportProgress,
        RateLimitPolicies.ReportDownload => ReportDownload,
        RateLimitPolicies.ReportCancel => ReportCancel,
        RateLimitPolicies.ReportSync => ReportSync,
        RateLimitPolicies.Default => Default,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown rate limit policy"),
    };

    public static RateLimitRule PerMinute(int permits) => new() { PermitLimit = permits };
}

public static class ApiRateLimits
{
    public static IServiceCollection AddStopSyncApiRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyPrefix), "RateLimits:KeyPrefix must not be empty")
            .Validate(o => RateLimitPolicies.All.All(p => o.Rule(p).PermitLimit >= 1),
                "every RateLimits:<Policy>:PermitLimit must be at least 1")
            .Validate(o => RateLimitPolicies.All.All(p => o.Rule(p).Window >= TimeSpan.FromSeconds(1)),
                "every RateLimits:<Policy>:Window must be at least one second")
            .ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            foreach (var policy in RateLimitPolicies.All.Where(p => p != RateLimitPolicies.Default))
            {
                o.AddPolicy(policy, http => Partition(http, policy));
            }

            // Endpoints under /api without a policy of their own share the default budget.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>() is null
                && http.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null
                    ? Partition(http, RateLimitPolicies.Default)
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, string policy)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
        if (!options.Enabled)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var rule = options.Rule(policy);
        // The connection's address already honours forwarding headers, but only from the configured proxies.
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var key = $"{options.KeyPrefix}{policy}:{client}";
        var services = http.RequestServices;
        return RateLimitPartition.Get(key, k =>
        {
            var redis = services.GetRequiredService<IConnectionMultiplexer>();
            var inner = new RedisFixedWindowRateLimiter<string>(k, new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                PermitLimit = rule.PermitLimit,
                Window = rule.Window,
            });
            return new FailOpenRateLimiter(inner, redis, services.GetRequiredService<ILogger<FailOpenRateLimiter>>());
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero
            ? (int)Math.Ceiling(wait.TotalSeconds)
            : RetryAfterFallbackSeconds(http);
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        if (http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await TypedResults.Problem($"Too many requests from this address; try again in {retryAfter} s.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(http);
        }
    }

    // Without the limiter's own figure: a whole window, the longest a client can have to wait.
    private static int RetryAfterFallbackSeconds(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var rule = policy is not null && RateLimitPolicies.All.Contains(policy) ? options.Rule(policy) : options.Default;
        return (int)Math.Ceiling(rule.Window.TotalSeconds);
    }
}

/// <summary>
/// Lets requests through when Redis cannot count them: an unavailable limiter must not take the API down with it.
/// The outage is logged, at most once a minute per limiter.
/// </summary>
public sealed class FailOpenRateLimiter(RateLimiter inner, IConnectionMultiplexer redis, ILogger<FailOpenRateLimiter> logger) : RateLimiter
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);
    private long _lastWarningTicks;

    public override TimeSpan? IdleDuration => inner.IdleDuration;

    // Statistics would be one more Redis call; nothing here reads them.
    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        if (!redis.IsConnected)
        {
            return Allow(null);
        }

        try
        {
            return inner.AttemptAcquire(permitCount);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Allow(ex);
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        // Disconnected: the client would queue the command until its timeout; answering at once keeps the API fast.
        if (!redis.IsConnected)
        {
            return Allow(null);
        }

        try
        {
            return await inner.AcquireAsync(permitCount, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Allow(ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await inner.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private AllowedLease Allow(Exception? error)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarningTicks);
        if ((last == 0 || now - last >= (long)WarningInterval.TotalMilliseconds) && Interlocked.CompareExchange(ref _lastWarningTicks, now, last) == last)
        {
            logger.LogWarning(error, "Rate limit counters are unavailable (Redis not reachable); requests are let through uncounted");
        }

        return AllowedLease.Instance;
    }

    private sealed class AllowedLease : RateLimitLease
    {
        public static readonly AllowedLease Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
