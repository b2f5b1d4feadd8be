using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data.Entities;
using StopSync.Data.Status;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Infrastructure;

namespace StopSync.Tests.Web.Api;

/// <summary>
/// The pipeline status is public: visitors see phases and short reasons, never server paths or raw exception text;
/// the administrator sees everything.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class PipelineStatusRedactionTests(IntegrationFixture fixture)
{
    private const string BundlePath = "/srv/stopsync/data/bundles/0f1e2d3c";
    private const string RawError =
        "StackExchange.Redis.RedisConnectionException: It was not possible to connect to the redis server(s). UnableToConnect on " +
        "10.20.30.40:6379/Interactive, Initializing/NotStarted, last: NONE, origin: BeginConnectAsync, outstanding: 0, mgr: 10 of 10 available";
    private const string FailedMessage = "Pipeline update failed; the previous dataset stays live";
    private const string ShortReason = "Failed during Stage database";

    [Fact]
    public async Task StatusEndpoint_ShowsVisitorsThePhaseAndAShortReason_NotPathsOrRawErrors()
    {
        var prefix = Prefix();
        await using var factory = Factory(prefix);
        await factory.Services.GetRequiredService<PipelineStatusStore>().WriteRunDocumentAsync(FailedDocument());
        using var client = factory.CreateClient();

        var text = await client.GetStringAsync("/api/system/pipeline_status");
        await IntegrationFixture.DeleteRedisKeysAsync(prefix);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;

        Assert.DoesNotContain("/srv/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RedisConnectionException", text, StringComparison.Ordinal);
        Assert.DoesNotContain("10.20.30.40", text, StringComparison.Ordinal);
        Assert.Equal(PipelineStates.Failed, root.GetProperty("status").GetString());
        Assert.Equal(PipelinePhases.Database, root.GetProperty("failed_phase").GetString());
        Assert.Equal(ShortReason, root.GetProperty("last_error").GetString());
        Assert.Equal(FailedMessage, root.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, Phase(root, PipelinePhases.Bundle).GetProperty("detail").ValueKind);
        Assert.Equal(ShortReason, Phase(root, PipelinePhases.Database).GetProperty("detail").GetString());
        Assert.Equal(ShortReason, Phase(root, PipelinePhases.Database).GetProperty("stages")[0].GetProperty("detail").GetString());
        Assert.Equal("Not reached: the run failed earlier", Phase(root, PipelinePhases.Publish).GetProperty("detail").GetString());
        Assert.Equal("atlas: downloaded, gtfs: reused, osm: local", Phase(root, PipelinePhases.SourceFiles).GetProperty("detail").GetString());
    }

    [Fact]
    public void VisitorsView_KeepsTheRunnersShortCause_WhenItNamesNoPath()
    {
        const string cause = "database connection lost during load (57P01: terminating connection due to administrator command)";
        var document = FailedDocument();
        document.LastError = cause;
        document.Phases.Single(p => p.Id == PipelinePhases.Database).Detail = cause;

        var visitors = PipelineStatusRedaction.ForVisitors(document);

        Assert.Equal(cause, visitors.LastError);
        Assert.Equal(cause, visitors.Phases.Single(p => p.Id == PipelinePhases.Database).Detail);
        Assert.Equal(ShortReason, visitors.Phases.Single(p => p.Id == PipelinePhases.Database).Stages[0].Detail);
    }

    [Fact]
    public async Task StatusEndpoint_ShowsTheAdministratorEverything()
    {
        var prefix = Prefix();
        await using var factory = Factory(prefix);
        await factory.Services.GetRequiredService<PipelineStatusStore>().WriteRunDocumentAsync(FailedDocument());
        using var client = factory.CreateClient();
        await DashboardAuthorizationTests.SignInAsync(client, "admin", StopSyncAppFactory.AdminPassword);

        var text = await client.GetStringAsync("/api/system/pipeline_status");
        await IntegrationFixture.DeleteRedisKeysAsync(prefix);
        using var json = JsonDocument.Parse(text);

        Assert.Equal(RawError, json.RootElement.GetProperty("last_error").GetString());
        Assert.Equal(BundlePath, Phase(json.RootElement, PipelinePhases.Bundle).GetProperty("detail").GetString());
        Assert.Equal(RawError, Phase(json.RootElement, PipelinePhases.Database).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Pages_EmbedTheVisitorsStatus_AndTheDataPageHidesRawErrorsFromVisitors()
    {
        var prefix = Prefix();
        await using var factory = Factory(prefix);
        await factory.Services.GetRequiredService<PipelineStatusStore>().WriteRunDocumentAsync(FailedDocument());
        var failedRun = new PipelineRun
        {
            Id = Guid.NewGuid(), Trigger = "manual", Mode = "full", Status = PipelineRunStatus.Failed,
            StartedAt = fixture.FirstRun.StartedAt.AddMinutes(-30), FinishedAt = fixture.FirstRun.StartedAt.AddMinutes(-29),
            Message = "Pipeline run failed; the previous dataset stays published", Error = RawError,
        };
        await using (var db = fixture.CreateDbContext())
        {
            db.PipelineRuns.Add(failedRun);
            await db.SaveChangesAsync();
        }

        string docs, data, adminData;
        try
        {
            using var visitor = factory.CreateClient();
            docs = await visitor.GetStringAsync("/docs");
            data = await visitor.GetStringAsync("/data/analytics");
            using var admin = factory.CreateClient();
            await DashboardAuthorizationTests.SignInAsync(admin, "admin", StopSyncAppFactory.AdminPassword);
            adminData = await admin.GetStringAsync("/data/analytics");
        }
        finally
        {
            await using var db = fixture.CreateDbContext();
            db.PipelineRuns.Remove(failedRun);
            await db.SaveChangesAsync();
            await IntegrationFixture.DeleteRedisKeysAsync(prefix);
        }

        var embedded = new HtmlParser().ParseDocument(docs).QuerySelector("#initialPipelineStatus")!.TextContent;
        using var status = JsonDocument.Parse(embedded);
        Assert.Equal(ShortReason, status.RootElement.GetProperty("last_error").GetString());
        Assert.DoesNotContain("/srv/", embedded, StringComparison.Ordinal);
        Assert.DoesNotContain("RedisConnectionException", data, StringComparison.Ordinal);
        Assert.DoesNotContain("/srv/", data, StringComparison.Ordinal);
        Assert.Contains(ShortReason, data, StringComparison.Ordinal);
        Assert.Contains("RedisConnectionException", adminData, StringComparison.Ordinal);
        Assert.Contains(BundlePath, adminData, StringComparison.Ordinal);
    }

    private string Prefix() => $"{fixture.HangfirePrefix}redaction-{Guid.NewGuid():N}:";

    private StopSyncAppFactory Factory(string prefix)
    {
        var settings = StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix);
        settings["Pipeline:KeyPrefix"] = prefix;
        return new StopSyncAppFactory(settings);
    }

    private static JsonElement Phase(JsonElement root, string id) =>
        root.GetProperty("phases").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);

    /// <summary>A run that wrote its bundle and then lost Redis while staging the database.</summary>
    private static PipelineStatusDocument FailedDocument()
    {
        var phases = PipelinePhases.Plan();
        foreach (var phase in phases.Take(6))
        {
            phase.Status = PhaseStatus.Complete;
            phase.DurationSeconds = 1.5;
        }

        phases.Single(p => p.Id == PipelinePhases.SourceFiles).Detail = "atlas: downloaded, gtfs: reused, osm: local";
        phases.Single(p => p.Id == PipelinePhases.Bundle).Detail = BundlePath;
        var database = phases.Single(p => p.Id == PipelinePhases.Database);
        database.Status = PhaseStatus.Failed;
        database.Detail = RawError;
        database.Stages.Add(new PhaseState { Id = "database.load", Label = "Loading the staged tables", Status = PhaseStatus.Failed, Detail = RawError });
        var publish = phases.Single(p => p.Id == PipelinePhases.Publish);
        publish.Status = PhaseStatus.Skipped;
        publish.Detail = "Not reached: the run failed earlier";
        return new PipelineStatusDocument
        {
            Status = PipelineStates.Failed,
            Phase = PipelineStates.Failed,
            Message = FailedMessage,
            RunId = Guid.NewGuid(),
            Trigger = "manual",
            Mode = "full",
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-3),
            FinishedAt = DateTimeOffset.UtcNow,
            LastError = RawError,
            FailedPhase = PipelinePhases.Database,
            Phases = phases,
        };
    }
}
