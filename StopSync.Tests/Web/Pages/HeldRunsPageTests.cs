using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Hangfire;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data.Entities;
using StopSync.Data.Jobs;
using StopSync.Data.Status;
using StopSync.Jobs.Runs;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Runs;

namespace StopSync.Tests.Web.Pages;

/// <summary>
/// The Data page's held runs: visitors see the run and why it was held, administrators publish it anyway or discard it
/// through a Hangfire job the jobs host runs. Its own database with a real held run (demo dataset, truncated OSM answer).
/// </summary>
public sealed class HeldRunsPageTests(HeldRunFixture fixture) : IClassFixture<HeldRunFixture>, IAsyncLifetime
{
    private readonly string _bundles = Path.Combine(fixture.Directory, "bundles-" + Guid.NewGuid().ToString("N"));
    private StopSyncAppFactory _web = null!;
    private PipelineRun _held = null!;

    public async Task InitializeAsync()
    {
        await using (var full = fixture.Services(_bundles, fixture.OsmPath))
        {
            await HeldRunFixture.RunAsync(full);
        }

        await using (var truncated = fixture.Services(_bundles, fixture.HalfOsmPath))
        {
            _held = await HeldRunFixture.RunAsync(truncated);
        }

        Assert.Equal(PipelineRunStatus.Held, _held.Status);
        _web = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(fixture.ConnectionString, fixture.HangfirePrefix));
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task DataPage_ShowsVisitorsTheHeldRunAndItsFigures_WithoutButtons()
    {
        using var client = _web.CreateClient();

        var page = await DataPageAsync(client);

        var run = page.QuerySelector($"#heldRuns [data-run-id='{_held.Id}']");
        Assert.NotNull(run);
        Assert.Contains(RunHold.FromStats(_held.Stats)!.Reason, run.QuerySelector(".held-reason")!.TextContent, StringComparison.Ordinal);
        Assert.Matches(@"^−(4|5)\d\.\d %$", run.QuerySelector("[data-figure='osm_elements'] td:nth-child(4)")!.TextContent);
        Assert.NotNull(run.QuerySelector("[data-figure='osm_elements'].held-exceeded"));
        Assert.Null(page.QuerySelector(".held-publish"));
        Assert.Null(page.QuerySelector(".held-discard"));
    }

    [Fact]
    public async Task HeldRunActions_AreRefusedToVisitors_EvenWithAValidToken()
    {
        using var client = _web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = TokenOf(new HtmlParser().ParseDocument(await client.GetStringAsync("/account/login")));

        var publish = await client.PostAsync("/data/held?handler=Publish", Form(("runId", _held.Id.ToString()), ("__RequestVerificationToken", token)));
        var discard = await client.PostAsync("/data/held?handler=Discard", Form(("runId", _held.Id.ToString()), ("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.StartsWith("/account/login", publish.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, discard.StatusCode);
        Assert.StartsWith("/account/login", discard.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(EnqueuedHeldJobs());
    }

    [Fact]
    public async Task Administrator_PublishesAHeldRunAnyway_ThroughTheJobTheJobsHostRuns()
    {
        using var client = _web.CreateClient();
        await DashboardAuthorizationTests.SignInAsync(client, "admin", StopSyncAppFactory.AdminPassword);
        var page = await DataPageAsync(client);
        var form = (IHtmlFormElement)page.QuerySelector($"[data-run-id='{_held.Id}'] .held-publish")!.Closest("form")!;
        Assert.NotNull(page.QuerySelector($"[data-run-id='{_held.Id}'] .held-discard"));

        var response = await client.PostAsync(form.GetAttribute("action"), Form(
            ("runId", form.QuerySelector("input[name=runId]")!.GetAttribute("value")!),
            ("__RequestVerificationToken", TokenOf(form))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Publishing held run {_held.Id:D}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var job = Assert.Single(EnqueuedHeldJobs());
        Assert.Equal((nameof(IPipelineJob.PublishHeldAsync), (object)_held.Id), (job.Method.Name, job.Args[0]));

        // What the jobs host does with that job: the same method on its implementation, with the stored argument.
        await using (var services = fixture.Services(_bundles, fixture.OsmPath))
        await using (var scope = services.CreateAsyncScope())
        {
            var pipelineJob = new PipelineJob(
                scope.ServiceProvider.GetRequiredService<PipelineRunner>(), scope.ServiceProvider.GetRequiredService<HeldRuns>(),
                _web.Services.GetRequiredService<JobStorage>(), scope.ServiceProvider.GetRequiredService<PipelineStatusStore>(),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<PipelineJob>.Instance);
            await pipelineJob.PublishHeldAsync((Guid)job.Args[0], CancellationToken.None);
        }

        await using var db = HeldRunFixture.CreateDbContext(fixture.ConnectionString);
        Assert.Equal(PipelineRunStatus.Published, (await db.PipelineRuns.AsNoTracking().SingleAsync(r => r.Id == _held.Id)).Status);
        var after = await DataPageAsync(client);
        Assert.Null(after.QuerySelector($"[data-run-id='{_held.Id}']"));
    }

    [Fact]
    public async Task Administrator_DiscardsAHeldRun_ByEnqueuingTheDiscardJob()
    {
        using var client = _web.CreateClient();
        await DashboardAuthorizationTests.SignInAsync(client, "admin", StopSyncAppFactory.AdminPassword);
        var page = await DataPageAsync(client);
        var form = (IHtmlFormElement)page.QuerySelector($"[data-run-id='{_held.Id}'] .held-discard")!.Closest("form")!;

        var response = await client.PostAsync(form.GetAttribute("action"), Form(("runId", _held.Id.ToString()), ("__RequestVerificationToken", TokenOf(form))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Discarding held run {_held.Id:D}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var job = Assert.Single(EnqueuedHeldJobs());
        Assert.Equal((nameof(IPipelineJob.DiscardHeldAsync), (object)_held.Id), (job.Method.Name, job.Args[0]));
    }

    [Fact]
    public async Task Administrator_PostingWithoutTheTokenOrForARunNotHeld_EnqueuesNothing()
    {
        using var client = _web.CreateClient();
        await DashboardAuthorizationTests.SignInAsync(client, "admin", StopSyncAppFactory.AdminPassword);
        var token = TokenOf(await DataPageAsync(client));
        var unknown = Guid.NewGuid();

        var withoutToken = await client.PostAsync("/data/held?handler=Publish", Form(("runId", _held.Id.ToString())));
        var response = await client.PostAsync("/data/held?handler=Publish", Form(("runId", unknown.ToString()), ("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Contains($"There is no pipeline run {unknown:D}.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(EnqueuedHeldJobs());
    }

    private static async Task<IHtmlDocument> DataPageAsync(HttpClient client) =>
        new HtmlParser().ParseDocument(await client.GetStringAsync("/data/analytics"));

    /// <summary>Held-run jobs of this class's web app (its own Hangfire prefix), each test's held run only.</summary>
    private List<Hangfire.Common.Job> EnqueuedHeldJobs() =>
        [.. _web.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 100)
            .Select(j => j.Value.Job)
            .Where(j => j is not null && j.Method.Name is nameof(IPipelineJob.PublishHeldAsync) or nameof(IPipelineJob.DiscardHeldAsync)
                && Equals(j.Args[0], _held.Id))];

    private static string TokenOf(AngleSharp.Dom.IParentNode node) =>
        node.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}
