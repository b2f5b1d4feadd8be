using Microsoft.Extensions.DependencyInjection;
using StopSync.Data.Status;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Browser;

/// <summary>
/// The site on Kestrel with a status document of its own (its own Redis key prefix), for browser tests that stage a
/// pipeline status; the keys go when the site is disposed.
/// </summary>
internal sealed class StatusTestSite : IAsyncDisposable
{
    private readonly string _prefix;
    private readonly StopSyncAppFactory _factory;

    public StatusTestSite(IntegrationFixture fixture, string name)
    {
        _prefix = $"{fixture.HangfirePrefix}{name}-{Guid.NewGuid():N}:";
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Pipeline:KeyPrefix"] = _prefix;
        _factory = new StopSyncAppFactory(settings);
        BaseUrl = _factory.StartKestrel();
        Store = _factory.Services.GetRequiredService<PipelineStatusStore>();
    }

    public string BaseUrl { get; }

    public PipelineStatusStore Store { get; }

    /// <summary>A run in its fourth phase (stop matching), the first three done.</summary>
    public static PipelineStatusDocument RunningDocument()
    {
        var phases = PipelinePhases.Plan();
        phases[0].Status = PhaseStatus.Complete;
        phases[1].Status = PhaseStatus.Reused;
        phases[2].Status = PhaseStatus.Complete;
        phases[3].Status = PhaseStatus.Running;
        phases[3].StartedAt = DateTimeOffset.UtcNow;
        return new PipelineStatusDocument
        {
            Status = PipelineStates.Running,
            Phase = PipelinePhases.StopMatching,
            Message = "Matching ATLAS platforms with OSM elements",
            RunId = Guid.NewGuid(),
            Trigger = "manual",
            Mode = "full",
            StartedAt = DateTimeOffset.UtcNow.AddSeconds(-20),
            EtaSeconds = 600,
            Phases = phases,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await IntegrationFixture.DeleteRedisKeysAsync(_prefix);
        await _factory.DisposeAsync();
    }
}
