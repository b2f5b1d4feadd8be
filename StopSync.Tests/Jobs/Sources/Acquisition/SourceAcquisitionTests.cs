using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Acquisition;

namespace StopSync.Tests.Jobs.Sources.Acquisition;

public sealed class SourceAcquisitionTests
{
    private const string AtlasPath = "/atlas.csv";
    private const string AtlasFile = "atlas-traffic-points.csv";

    [Fact]
    public async Task Acquisition_ReusesTheCachedFile_WithoutFetchingTheBody_WhenTheETagIsUnchanged()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        ServeAtlas(context, "v1 rows", etag: "\"v1\"");
        await AcquireAsync(context);
        context.Server.ClearRequests();
        var progress = new RecordingProgress<AcquisitionProgress>();

        var sources = await AcquireAsync(context, progress);

        Assert.Equal(AcquisitionOutcome.Reused, sources.Atlas.Outcome);
        Assert.Equal("\"v1\"", sources.Atlas.Snapshot?.ETag);
        Assert.Equal("v1 rows", await File.ReadAllTextAsync(sources.Atlas.FilePath));
        Assert.All(context.Server.Requests, r => Assert.True(r.IsProbe));
        Assert.Single(context.Server.Requests);
        Assert.Contains(progress.Reports, p => p is { Source: SourceKind.Atlas, Phase: AcquisitionPhase.Finished, Outcome: AcquisitionOutcome.Reused });
    }

    [Fact]
    public async Task Acquisition_Downloads_WhenTheETagChanged()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var file = ServeAtlas(context, "v1 rows", etag: "\"v1\"");
        await AcquireAsync(context);
        file.Content = "v2 rows, more of them"u8.ToArray();
        file.ETag = "\"v2\"";

        var sources = await AcquireAsync(context);

        Assert.Equal(AcquisitionOutcome.Downloaded, sources.Atlas.Outcome);
        Assert.Equal("v2 rows, more of them", await File.ReadAllTextAsync(sources.Atlas.FilePath));
        Assert.Equal(21, sources.Atlas.Bytes);
    }

    [Fact]
    public async Task Acquisition_Reuses_WhenThereIsNoETag_AndLastModifiedIsEqual()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        ServeAtlas(context, "rows", lastModified: "Tue, 24 Nov 2026 05:00:00 GMT");
        await AcquireAsync(context);

        var sources = await AcquireAsync(context);

        Assert.Equal(AcquisitionOutcome.Reused, sources.Atlas.Outcome);
        Assert.Null(sources.Atlas.Snapshot?.ETag);
    }

    [Fact]
    public async Task Acquisition_Downloads_WhenLastModifiedChanged_EvenThoughTheFileNameIsTheSame()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var file = ServeAtlas(context, "rows", lastModified: "Tue, 24 Nov 2026 05:00:00 GMT", filename: "atlas.csv");
        await AcquireAsync(context);
        file.LastModified = "Wed, 25 Nov 2026 05:00:00 GMT";

        var sources = await AcquireAsync(context);

        Assert.Equal(AcquisitionOutcome.Downloaded, sources.Atlas.Outcome);
    }

    [Theory]
    [InlineData("gtfs_fp2026_2026-11-20.zip", AcquisitionOutcome.Reused)]
    [InlineData("gtfs_fp2026_2026-11-27.zip", AcquisitionOutcome.Downloaded)]
    public async Task Acquisition_LetsTheDownloadFilenameDecide_WhenItIsTheOnlyValidatorBesidesTheAddress(
        string filenameNow,
        AcquisitionOutcome expected)
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var file = ServeAtlas(context, "rows", filename: "gtfs_fp2026_2026-11-20.zip");
        await AcquireAsync(context);
        file.ContentDisposition = $"attachment; filename=\"{filenameNow}\"";

        var sources = await AcquireAsync(context);

        Assert.Equal(expected, sources.Atlas.Outcome);
        Assert.Equal(filenameNow, sources.Atlas.Snapshot?.DownloadFilename);
    }

    [Fact]
    public async Task Acquisition_Downloads_WhenForceRefreshIsSet_ThoughTheETagIsUnchanged()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        ServeAtlas(context, "rows", etag: "\"v1\"");
        await AcquireAsync(context);
        context.Server.ClearRequests();

        var sources = await AcquireAsync(context, null, ("ForceRefresh", "true"));

        Assert.Equal(AcquisitionOutcome.Downloaded, sources.Atlas.Outcome);
        Assert.Single(context.Server.Requests, r => !r.IsProbe);
    }

    [Fact]
    public async Task Acquisition_Downloads_WhenTheCachedFileIsGone_ThoughTheETagIsUnchanged()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        ServeAtlas(context, "rows", etag: "\"v1\"");
        await AcquireAsync(context);
        File.Delete(context.CachePath(AtlasFile));

        var sources = await AcquireAsync(context);

        Assert.Equal(AcquisitionOutcome.Downloaded, sources.Atlas.Outcome);
        Assert.Equal("rows", await File.ReadAllTextAsync(sources.Atlas.FilePath));
    }

    [Fact]
    public async Task Acquisition_RecordsTheSnapshotInSourcesJson_WrittenWithoutLeftovers()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        ServeAtlas(context, "rows", etag: "\"v1\"", lastModified: "Tue, 24 Nov 2026 05:00:00 GMT");

        await AcquireAsync(context);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(context.CachePath("sources.json")));
        var atlas = json.RootElement.GetProperty("sources").GetProperty("atlas");
        Assert.Equal(AtlasFile, atlas.GetProperty("file").GetString());
        Assert.Equal(4, atlas.GetProperty("bytes").GetInt64());
        var snapshot = atlas.GetProperty("snapshot");
        Assert.True(snapshot.GetProperty("probe_ok").GetBoolean());
        Assert.Equal("\"v1\"", snapshot.GetProperty("etag").GetString());
        Assert.Equal("Tue, 24 Nov 2026 05:00:00 GMT", snapshot.GetProperty("last_modified").GetString());
        Assert.Equal(context.Server.Url(AtlasPath).ToString(), snapshot.GetProperty("final_url").GetString());
        Assert.Equal([AtlasFile, "sources.json"], Directory.GetFiles(context.CacheDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A 404 fails the run at once: the previous copy and its snapshot stay, so the next run can still reuse them once the
    /// source is back, and no partial file is left behind.
    /// </summary>
    [Fact]
    public async Task Acquisition_FailsNamingUrlAnd404_WithoutRetry_AndKeepsTheCachedFileAndItsSnapshot()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        ServeAtlas(context, "rows of the last good run", etag: "\"v1\"");
        await AcquireAsync(context);
        var manifestBefore = await File.ReadAllTextAsync(context.CachePath("sources.json"));
        context.Server.Remove(AtlasPath);
        context.Server.ClearRequests();

        var error = await Assert.ThrowsAsync<SourceAcquisitionException>(() => AcquireAsync(context));

        Assert.Contains(context.Server.Url(AtlasPath).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, context.Server.Requests.Count);
        Assert.Single(context.Server.Requests, r => !r.IsProbe);
        Assert.Equal("rows of the last good run", await File.ReadAllTextAsync(context.CachePath(AtlasFile)));
        Assert.Equal(manifestBefore, await File.ReadAllTextAsync(context.CachePath("sources.json")));
        Assert.Empty(Directory.GetFiles(context.CacheDirectory, "*.part*"));
    }

    [Fact]
    public async Task Acquisition_PostsTheQueryToOverpass_WithItsHeaders_AndRetriesA504()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var xml = "<?xml version=\"1.0\"?><osm version=\"0.6\"><node id=\"1\" lat=\"47\" lon=\"8\"/></osm>";
        context.Server.Serve("/api/interpreter", Encoding.UTF8.GetBytes(xml)).Faults.Enqueue(new Fault(504, "Gateway Timeout"));

        var sources = await AcquireAsync(context, null,
            ("Atlas:Path", context.LocalAtlas),
            ("Osm:Path", null),
            ("Osm:OverpassUrl", context.Server.Url("/api/interpreter").ToString()),
            ("UserAgent", "StopSync-tests/1.0 (+https://example.invalid)"));

        Assert.Equal(AcquisitionOutcome.Downloaded, sources.Osm.Outcome);
        Assert.Equal(xml, await File.ReadAllTextAsync(sources.Osm.FilePath));
        var posts = context.Server.RequestsTo("/api/interpreter");
        Assert.Equal(2, posts.Count);
        Assert.All(posts, post =>
        {
            Assert.Equal("POST", post.Method);
            Assert.Equal(OverpassQuery.Default, post.Body);
            Assert.Equal("text/plain; charset=utf-8", post.ContentType);
            Assert.Equal("application/osm3s+xml, text/xml, application/xml;q=0.9, */*;q=0.1", post.Accept);
            Assert.Equal("StopSync-tests/1.0 (+https://example.invalid)", post.UserAgent);
        });
        Assert.StartsWith("[out:xml][timeout:360];", OverpassQuery.Default, StringComparison.Ordinal);
        Assert.EndsWith("out meta;", OverpassQuery.Default, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acquisition_QueriesOverpassAgain_WhenItsAnswerBreaksOff()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var xml = "<osm version=\"0.6\">" + string.Concat(Enumerable.Repeat("<node id=\"1\" lat=\"47\" lon=\"8\"/>", 5000)) + "</osm>";
        context.Server.Serve("/api/interpreter", Encoding.UTF8.GetBytes(xml)).Faults.Enqueue(new Fault(AbortAfterBytes: 20_000));

        var sources = await AcquireAsync(context, null,
            ("Atlas:Path", context.LocalAtlas),
            ("Osm:Path", null),
            ("Osm:OverpassUrl", context.Server.Url("/api/interpreter").ToString()));

        Assert.Equal(xml, await File.ReadAllTextAsync(sources.Osm.FilePath));
        Assert.All(context.Server.Requests, r => Assert.Null(r.Range));
        Assert.Equal(2, context.Server.Requests.Count);
        Assert.False(File.Exists(sources.Osm.FilePath + ".part"));
    }

    [Fact]
    public async Task Acquisition_SendsTheConfiguredQuery_Trimmed()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        context.Server.Serve("/api/interpreter", "<osm/>"u8.ToArray());

        await AcquireAsync(context, null,
            ("Atlas:Path", context.LocalAtlas),
            ("Osm:Path", null),
            ("Osm:OverpassUrl", context.Server.Url("/api/interpreter").ToString()),
            ("Osm:Query", "\n  [out:xml];node(1);out;\n"));

        Assert.Equal("[out:xml];node(1);out;", Assert.Single(context.Server.Requests).Body);
    }

    [Fact]
    public async Task Acquisition_FailsWithTheFirst400CharactersOfTheBody_WhenOverpassRejectsTheQuery()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var body = "Error: line 1: parse error " + new string('x', 373) + "TAIL-NOT-SHOWN";
        context.Server.Serve("/api/interpreter", []).Faults.Enqueue(new Fault(400, body));

        var error = await Assert.ThrowsAsync<SourceAcquisitionException>(() => AcquireAsync(context, null,
            ("Atlas:Path", context.LocalAtlas),
            ("Osm:Path", null),
            ("Osm:OverpassUrl", context.Server.Url("/api/interpreter").ToString())));

        Assert.Contains("HTTP 400", error.Message, StringComparison.Ordinal);
        Assert.Contains(body[..400], error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TAIL", error.Message, StringComparison.Ordinal);
        Assert.Single(context.Server.Requests);
        Assert.False(File.Exists(context.CachePath("osm-stops.xml")));
    }

    [Fact]
    public async Task Acquisition_UsesLocalFilesInPlace()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var sources = await AcquireAsync(context, null, ("Atlas:Path", context.LocalAtlas));

        Assert.Equal(
            [(context.LocalAtlas, AcquisitionOutcome.Local, 12L), (context.LocalGtfs, AcquisitionOutcome.Local, 4L), (context.LocalOsm, AcquisitionOutcome.Local, 20L)],
            new[] { sources.Atlas, sources.Gtfs, sources.Osm }.Select(s => (s.FilePath, s.Outcome, s.Bytes)));
        Assert.Null(sources.Atlas.Snapshot);
        Assert.Empty(context.Server.Requests);
        Assert.False(File.Exists(context.CachePath("sources.json")));
    }

    [Fact]
    public async Task Acquisition_FailsNamingThePathAndKey_WhenALocalFileIsMissing()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var missing = Path.Combine(context.Directory, "nowhere", "osm.xml");

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => AcquireAsync(context, null,
            ("Atlas:Path", context.LocalAtlas),
            ("Osm:Path", missing)));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("Pipeline:Sources:Osm:Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acquisition_PutsTheCurrentYearIntoTheGtfsAddress_AndReportsBothStaticSourcesReused()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        ServeAtlas(context, "rows", etag: "\"a1\"");
        context.Server.Serve("/timetable-2031-gtfs2020/permalink", "zip"u8.ToArray()).ETag = "\"g1\"";
        (string, string?)[] settings = [("Gtfs:Path", null), ("Gtfs:Url", context.Server.Url("/timetable-{YEAR}-gtfs2020/permalink").ToString())];
        var clock = new FixedClock(new DateTimeOffset(2031, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await AcquireAtAsync(context, clock, settings);

        var sources = await AcquireAtAsync(context, clock, settings);

        Assert.Equal(AcquisitionOutcome.Reused, sources.Gtfs.Outcome);
        Assert.Equal(context.CachePath("gtfs.zip"), sources.Gtfs.FilePath);
        Assert.True(sources.AtlasAndGtfsReused);
    }

    /// <summary>The check only probes and the fetch only downloads, so a run can time them as phases of their own.</summary>
    [Fact]
    public async Task CheckAsync_OnlyProbes_AndFetchAsync_OnlyDownloads_AndNothingIsRecordedBeforeTheCommit()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        ServeAtlas(context, "atlas rows", etag: "\"a1\"");
        context.Server.Serve("/gtfs.zip", "zip"u8.ToArray()).ETag = "\"g1\"";
        context.Server.Serve("/api/interpreter", "<osm/>"u8.ToArray());
        await using var services = context.CreateServices(
            ("Gtfs:Path", null),
            ("Gtfs:Url", context.Server.Url("/gtfs.zip").ToString()),
            ("Osm:Path", null),
            ("Osm:OverpassUrl", context.Server.Url("/api/interpreter").ToString()));
        var acquisition = services.GetRequiredService<SourceAcquisition>();

        var plan = await acquisition.CheckAsync(null, CancellationToken.None);
        var checkRequests = context.Server.Requests;
        context.Server.ClearRequests();
        var sources = await acquisition.FetchAsync(plan, null, CancellationToken.None);
        var fetchRequests = context.Server.Requests;
        var filesBeforeCommit = CacheFiles(context);
        await acquisition.CommitAsync(sources, CancellationToken.None);

        Assert.Equal([SourceAction.Download, SourceAction.Download, SourceAction.Download], plan.All.Select(p => p.Action));
        Assert.Equal("no cached file", plan.Atlas.Reason);
        Assert.Equal("\"g1\"", plan.Gtfs.Snapshot?.ETag);
        Assert.Equal(["/atlas.csv", "/gtfs.zip"], checkRequests.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.All(checkRequests, r => Assert.True(r.IsProbe));
        Assert.Equal(["/api/interpreter", "/atlas.csv", "/gtfs.zip"], fetchRequests.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.All(fetchRequests, r => Assert.False(r.IsProbe));
        Assert.All(new[] { sources.Atlas, sources.Gtfs, sources.Osm }, s => Assert.Equal(AcquisitionOutcome.Downloaded, s.Outcome));
        Assert.Equal([AtlasFile, "gtfs.zip", "osm-stops.xml"], filesBeforeCommit);
        Assert.Equal([AtlasFile, "gtfs.zip", "osm-stops.xml", "sources.json"], CacheFiles(context));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(context.CachePath("sources.json")));
        Assert.Equal(["atlas", "gtfs", "osm"], json.RootElement.GetProperty("sources").EnumerateObject().Select(p => p.Name));
    }

    /// <summary>
    /// A new file the run could not read is not vouched for: <c>sources.json</c> keeps the last good snapshot, so the
    /// next check plans the download again instead of taking the unread file for unchanged.
    /// </summary>
    [Fact]
    public async Task FetchAsync_WithoutACommit_LeavesSourcesJsonAsItWas_AndTheNextCheckPlansTheDownloadAgain()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var file = ServeAtlas(context, "v1 rows", etag: "\"v1\"");
        await AcquireAsync(context);
        var manifestBefore = await File.ReadAllTextAsync(context.CachePath("sources.json"));
        file.Content = "v2 rows the reader rejects"u8.ToArray();
        file.ETag = "\"v2\"";
        await using var services = context.CreateServices();
        var acquisition = services.GetRequiredService<SourceAcquisition>();

        var fetched = await CheckAndFetchAsync(acquisition, null);
        var manifestAfterFetch = await File.ReadAllTextAsync(context.CachePath("sources.json"));
        var next = await acquisition.CheckAsync(null, CancellationToken.None);

        Assert.Equal(AcquisitionOutcome.Downloaded, fetched.Atlas.Outcome);
        Assert.Equal("\"v2\"", fetched.Atlas.Pending?.Snapshot?.ETag);
        Assert.Equal(manifestBefore, manifestAfterFetch);
        Assert.Equal(SourceAction.Download, next.Atlas.Action);
        Assert.Equal("etag changed (\"v1\" → \"v2\")", next.Atlas.Reason);
    }

    [Fact]
    public async Task CommitAsync_RecordsTheFetchedFile_SoTheNextCheckPlansItsReuse()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        ServeAtlas(context, "rows", etag: "\"v1\"");
        await using var services = context.CreateServices();
        var acquisition = services.GetRequiredService<SourceAcquisition>();

        var fetched = await CheckAndFetchAsync(acquisition, null);
        var recordedBeforeCommit = File.Exists(context.CachePath("sources.json"));
        await acquisition.CommitAsync(fetched, CancellationToken.None);
        var next = await acquisition.CheckAsync(null, CancellationToken.None);

        Assert.False(recordedBeforeCommit);
        Assert.Equal(SourceAction.Reuse, next.Atlas.Action);
        Assert.Equal("etag unchanged (\"v1\")", next.Atlas.Reason);
        Assert.Equal(context.CachePath(AtlasFile), next.Atlas.FilePath);
    }

    [Fact]
    public async Task Reuse_RecordsTheNewerProbe_OnlyAtTheCommit()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var file = ServeAtlas(context, "rows", etag: "\"v1\"");
        await AcquireAsync(context);
        file.LastModified = "Tue, 24 Nov 2026 05:00:00 GMT";
        await using var services = context.CreateServices();
        var acquisition = services.GetRequiredService<SourceAcquisition>();

        var reused = await CheckAndFetchAsync(acquisition, null);
        var beforeCommit = await RecordedAtlasValidatorAsync(context, "last_modified");
        await acquisition.CommitAsync(reused, CancellationToken.None);

        Assert.Equal(AcquisitionOutcome.Reused, reused.Atlas.Outcome);
        Assert.Null(beforeCommit);
        Assert.Equal("Tue, 24 Nov 2026 05:00:00 GMT", await RecordedAtlasValidatorAsync(context, "last_modified"));
    }

    /// <summary>
    /// After a download the run could not read, the publisher goes back to the last good file and its validators: the
    /// cached file is the unread one, so it must not be reused on the strength of the recorded entry.
    /// </summary>
    [Fact]
    public async Task CheckAsync_PlansADownload_WhenTheCachedFileIsNotTheRecordedOne_ThoughTheETagIsUnchanged()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var file = ServeAtlas(context, "good rows", etag: "\"v1\"");
        await AcquireAsync(context);
        file.Content = "rows the reader rejects"u8.ToArray();
        file.ETag = "\"v2\"";
        await using var services = context.CreateServices();
        var acquisition = services.GetRequiredService<SourceAcquisition>();
        await CheckAndFetchAsync(acquisition, null);
        file.Content = "good rows"u8.ToArray();
        file.ETag = "\"v1\"";

        var sources = await AcquireAsync(context);

        Assert.Equal(AcquisitionOutcome.Downloaded, sources.Atlas.Outcome);
        Assert.Equal("good rows", await File.ReadAllTextAsync(sources.Atlas.FilePath));
    }

    private static List<string?> CacheFiles(AcquisitionTestContext context) =>
        [.. Directory.GetFiles(context.CacheDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)];

    private static async Task<string?> RecordedAtlasValidatorAsync(AcquisitionTestContext context, string name)
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(context.CachePath("sources.json")));
        return json.RootElement.GetProperty("sources").GetProperty("atlas").GetProperty("snapshot").GetProperty(name).GetString();
    }

    private static TestFile ServeAtlas(
        AcquisitionTestContext context,
        string content,
        string? etag = null,
        string? lastModified = null,
        string? filename = null)
    {
        var file = context.Server.Serve(AtlasPath, Encoding.UTF8.GetBytes(content));
        file.ETag = etag;
        file.LastModified = lastModified;
        file.ContentDisposition = filename is null ? null : $"attachment; filename=\"{filename}\"";
        return file;
    }

    private static Task<AcquiredSources> AcquireAsync(AcquisitionTestContext context) => AcquireAsync(context, progress: null);

    /// <summary>Check, fetch and commit: what a run does whose readers accept every file.</summary>
    private static async Task<AcquiredSources> AcquireAsync(
        AcquisitionTestContext context,
        IProgress<AcquisitionProgress>? progress,
        params (string Key, string? Value)[] settings)
    {
        await using var services = context.CreateServices(settings);
        return await CheckFetchCommitAsync(services.GetRequiredService<SourceAcquisition>(), progress);
    }

    private static async Task<AcquiredSources> AcquireAtAsync(
        AcquisitionTestContext context,
        TimeProvider clock,
        params (string Key, string? Value)[] settings)
    {
        await using var services = context.CreateServices(s => s.AddSingleton(clock), settings);
        return await CheckFetchCommitAsync(services.GetRequiredService<SourceAcquisition>(), null);
    }

    private static async Task<AcquiredSources> CheckFetchCommitAsync(
        SourceAcquisition acquisition,
        IProgress<AcquisitionProgress>? progress)
    {
        var sources = await CheckAndFetchAsync(acquisition, progress);
        await acquisition.CommitAsync(sources, CancellationToken.None);
        return sources;
    }

    /// <summary>What a run does up to its readers: a run whose readers fail never commits.</summary>
    private static async Task<AcquiredSources> CheckAndFetchAsync(SourceAcquisition acquisition, IProgress<AcquisitionProgress>? progress)
    {
        var plan = await acquisition.CheckAsync(progress, CancellationToken.None);
        return await acquisition.FetchAsync(plan, progress, CancellationToken.None);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
