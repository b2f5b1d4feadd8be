using System.Net;
using AngleSharp.Html.Parser;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data.Jobs;
using StopSync.Data.Status;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Pages;

/// <summary>The Data page's run timeline and its administrator actions (Run now, maintenance switch).</summary>
[Collection(IntegrationGroup.Name)]
public sealed class DataPageTests(IntegrationFixture fixture)
{
    [Fact]
    public async Task DataPage_ShowsThePhaseTimeline_AndNoAdminActionsToVisitors()
    {
        using var client = fixture.Factory.CreateClient();

        var document = new HtmlParser().ParseDocument(await client.GetStringAsync("/data/analytics"));

        var cards = document.QuerySelectorAll("#pipelineTimeline [data-phase-id]").Select(c => c.GetAttribute("data-phase-id")).ToList();
        Assert.Equal(PipelinePhases.All.Select(p => p.Id), cards);
        Assert.Null(document.QuerySelector("#runNow"));
        Assert.Null(document.QuerySelector("#toggleMaintenance"));
    }

    [Fact]
    public async Task MaintenanceSwitch_IsRefusedToVisitors_EvenWithAValidToken()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = await TokenAsync(client, "/account/login");

        var withoutToken = await client.PostAsync("/data/analytics?handler=Maintenance", Form(("blocking", "true")));
        var withToken = await client.PostAsync("/data/analytics?handler=Maintenance", Form(("blocking", "true"), ("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, withToken.StatusCode);
        Assert.False((await Store().ReadAsync()).BlockingMaintenance);
    }

    [Fact]
    public async Task Administrator_SwitchesMaintenanceOnAndOff_AndTriggersARun()
    {
        using var client = fixture.Factory.CreateClient();
        await DashboardAuthorizationTests.SignInAsync(client, "admin", StopSyncAppFactory.AdminPassword);

        var token = await TokenAsync(client, "/data/analytics");
        var on = await client.PostAsync("/data/analytics?handler=Maintenance", Form(("blocking", "true"), ("__RequestVerificationToken", token)));
        var blockingAfterOn = (await Store().ReadAsync()).BlockingMaintenance;
        var off = await client.PostAsync("/data/analytics?handler=Maintenance", Form(("blocking", "false"), ("__RequestVerificationToken", token)));
        var blockingAfterOff = (await Store().ReadAsync()).BlockingMaintenance;
        var run = await client.PostAsync("/data/analytics?handler=Run", Form(("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True(blockingAfterOn);
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.False(blockingAfterOff);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Contains("Pipeline run triggered.", await run.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var enqueued = fixture.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 50);
        Assert.Contains(enqueued, j => j.Value.Job?.Method.Name == nameof(IPipelineJob.RunAsync) && Equals(j.Value.Job.Args[0], "manual"));
    }

    private PipelineStatusStore Store() => fixture.Factory.Services.GetRequiredService<PipelineStatusStore>();

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var document = new HtmlParser().ParseDocument(await client.GetStringAsync(path));
        return document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}
