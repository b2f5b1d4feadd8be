using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Jobs.Sources.Acquisition;

namespace StopSync.Tests.Jobs.Sources.Acquisition;

public sealed class SourceDownloaderTests
{
    [Fact]
    public async Task DownloadAsync_WritesTheWholeFile_AndProgressReachesTheTotal()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        context.Server.Serve("/atlas.csv", content);
        await using var services = context.CreateServices();
        var progress = new RecordingProgress<DownloadProgress>();
        var target = context.CachePath("atlas.csv");

        var result = await services.GetRequiredService<SourceDownloader>()
            .DownloadAsync(context.Server.Url("/atlas.csv"), target, progress, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal(content.Length, result.Bytes);
        Assert.Equal(0, result.Resumes);
        Assert.True(progress.Reports.Count >= 3, $"only {progress.Reports.Count} progress reports");
        Assert.Equal(new DownloadProgress(content.Length, content.Length), progress.Reports[^1]);
        Assert.Equal(progress.Reports.Select(p => p.BytesDone).Order(), progress.Reports.Select(p => p.BytesDone));
        Assert.False(File.Exists(target + ".part"));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task DownloadAsync_Retries_WhenTheServerFirstAnswersATransientStatus(int status)
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var content = RandomNumberGenerator.GetBytes(10_000);
        context.Server.Serve("/atlas.csv", content).Faults.Enqueue(new Fault(status, "busy"));
        await using var services = context.CreateServices();
        var target = context.CachePath("atlas.csv");

        await services.GetRequiredService<SourceDownloader>().DownloadAsync(context.Server.Url("/atlas.csv"), target, null, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal(2, context.Server.RequestsTo("/atlas.csv").Count);
    }

    [Fact]
    public async Task DownloadAsync_Retries_WhenTheConnectionClosesBeforeTheHeaders()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var content = RandomNumberGenerator.GetBytes(10_000);
        var file = context.Server.Serve("/atlas.csv", content);
        file.Faults.Enqueue(new Fault(AbortAfterBytes: 0));
        file.Faults.Enqueue(new Fault(AbortAfterBytes: 0));
        await using var services = context.CreateServices();
        var target = context.CachePath("atlas.csv");

        await services.GetRequiredService<SourceDownloader>().DownloadAsync(context.Server.Url("/atlas.csv"), target, null, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal(3, context.Server.RequestsTo("/atlas.csv").Count);
    }

    [Fact]
    public async Task DownloadAsync_GivesUp_AfterMaxRetries_NamingTheUrl()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var file = context.Server.Serve("/atlas.csv", RandomNumberGenerator.GetBytes(100));
        for (var i = 0; i < 5; i++)
        {
            file.Faults.Enqueue(new Fault(502, "bad gateway"));
        }

        await using var services = context.CreateServices(("MaxRetries", "2"));

        var error = await Assert.ThrowsAsync<SourceAcquisitionException>(() => services.GetRequiredService<SourceDownloader>()
            .DownloadAsync(context.Server.Url("/atlas.csv"), context.CachePath("atlas.csv"), null, CancellationToken.None));

        Assert.Contains(context.Server.Url("/atlas.csv").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 502", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, context.Server.RequestsTo("/atlas.csv").Count);
    }

    [Fact]
    public async Task DownloadAsync_ResumesWithARangeRequest_WhenTheConnectionDropsMidBody()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var content = RandomNumberGenerator.GetBytes(1024 * 1024);
        var file = context.Server.Serve("/atlas.csv", content);
        file.ETag = "\"v1\"";
        file.Faults.Enqueue(new Fault(AbortAfterBytes: 300_000));
        await using var services = context.CreateServices();
        var target = context.CachePath("atlas.csv");

        var result = await services.GetRequiredService<SourceDownloader>()
            .DownloadAsync(context.Server.Url("/atlas.csv"), target, null, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal(1, result.Resumes);
        var requests = context.Server.RequestsTo("/atlas.csv");
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.InRange(RangeStart(requests[1]), 1, 300_000);
        Assert.Equal("\"v1\"", requests[1].IfRange);
        Assert.False(File.Exists(target + ".part"));
    }

    [Fact]
    public async Task DownloadAsync_StartsOver_WhenTheServerIgnoresTheRange()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var content = RandomNumberGenerator.GetBytes(500_000);
        var file = context.Server.Serve("/atlas.csv", content);
        file.SupportsRanges = false;
        file.LastModified = "Tue, 24 Nov 2026 05:00:00 GMT";
        file.Faults.Enqueue(new Fault(AbortAfterBytes: 200_000));
        await using var services = context.CreateServices();
        var target = context.CachePath("atlas.csv");

        await services.GetRequiredService<SourceDownloader>().DownloadAsync(context.Server.Url("/atlas.csv"), target, null, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.InRange(RangeStart(context.Server.RequestsTo("/atlas.csv")[1]), 1, 200_000);
    }

    [Fact]
    public async Task DownloadAsync_ResumesThePartialFileOfAnEarlierRun()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var content = RandomNumberGenerator.GetBytes(400_000);
        var file = context.Server.Serve("/atlas.csv", content);
        file.ETag = "\"v1\"";
        file.Faults.Enqueue(new Fault(AbortAfterBytes: 150_000));
        var target = context.CachePath("atlas.csv");
        await using (var noRetries = context.CreateServices(("MaxRetries", "0")))
        {
            await Assert.ThrowsAsync<SourceAcquisitionException>(() => noRetries.GetRequiredService<SourceDownloader>()
                .DownloadAsync(context.Server.Url("/atlas.csv"), target, null, CancellationToken.None));
        }

        var kept = new FileInfo(target + ".part").Length;
        Assert.InRange(kept, 1, 150_000);
        await using var services = context.CreateServices();

        await services.GetRequiredService<SourceDownloader>().DownloadAsync(context.Server.Url("/atlas.csv"), target, null, CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal($"bytes={kept}-", context.Server.RequestsTo("/atlas.csv")[^1].Range);
    }

    [Fact]
    public async Task DownloadAsync_FailsNamingUrlAndStatus_On404_WithoutRetry_KeepingTheCachedFile_AndDroppingThePart()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var content = RandomNumberGenerator.GetBytes(100_000);
        var file = context.Server.Serve("/atlas.csv", content);
        file.ETag = "\"v2\"";
        file.Faults.Enqueue(new Fault(AbortAfterBytes: 40_000));
        var target = context.CachePath("atlas.csv");
        var url = context.Server.Url("/atlas.csv");
        Directory.CreateDirectory(context.CacheDirectory);
        await File.WriteAllTextAsync(target, "the copy of the previous run");
        await using (var noRetries = context.CreateServices(("MaxRetries", "0")))
        {
            await Assert.ThrowsAsync<SourceAcquisitionException>(() =>
                noRetries.GetRequiredService<SourceDownloader>().DownloadAsync(url, target, null, CancellationToken.None));
        }

        context.Server.Remove("/atlas.csv");
        context.Server.ClearRequests();
        await using var services = context.CreateServices();

        var error = await Assert.ThrowsAsync<SourceAcquisitionException>(() =>
            services.GetRequiredService<SourceDownloader>().DownloadAsync(url, target, null, CancellationToken.None));

        Assert.Contains(url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Single(context.Server.Requests);
        Assert.Equal("the copy of the previous run", await File.ReadAllTextAsync(target));
        Assert.Equal(["atlas.csv"], Directory.GetFiles(context.CacheDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ProbeAsync_ReadsTheValidatorsBehindARedirect_AskingForOneByte()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        var file = context.Server.Serve("/files/gtfs.zip", RandomNumberGenerator.GetBytes(2 * 1024 * 1024));
        file.ETag = "\"abc\"";
        file.LastModified = "Fri, 20 Nov 2026 06:30:00 GMT";
        file.ContentDisposition = "attachment; filename=\"gtfs_fp2026_2026-11-20.zip\"";
        context.Server.Redirect("/permalink", "/files/gtfs.zip?token=secret#part");
        await using var services = context.CreateServices();

        var snapshot = await services.GetRequiredService<SourceDownloader>()
            .ProbeAsync("GTFS", context.Server.Url("/permalink"), CancellationToken.None);

        Assert.True(snapshot.ProbeOk);
        Assert.True(snapshot.IsUsable);
        Assert.Equal(206, snapshot.Status);
        Assert.Equal(context.Server.Url("/files/gtfs.zip").ToString(), snapshot.FinalUrl);
        Assert.Equal("\"abc\"", snapshot.ETag);
        Assert.Equal("Fri, 20 Nov 2026 06:30:00 GMT", snapshot.LastModified);
        Assert.Equal(2 * 1024 * 1024, snapshot.ContentLength);
        Assert.Equal("gtfs_fp2026_2026-11-20.zip", snapshot.DownloadFilename);
        Assert.All(context.Server.Requests, r => Assert.Equal("bytes=0-0", r.Range));
    }

    [Fact]
    public async Task ProbeAsync_ReturnsAnUnusableSnapshot_WhenTheServerAnswers404()
    {
        await using var context = await AcquisitionTestContext.StartAsync();
        await using var services = context.CreateServices();

        var snapshot = await services.GetRequiredService<SourceDownloader>()
            .ProbeAsync("ATLAS", context.Server.Url("/missing.csv"), CancellationToken.None);

        Assert.False(snapshot.ProbeOk);
        Assert.False(snapshot.IsUsable);
        Assert.Equal(404, snapshot.Status);
        Assert.Single(context.Server.Requests);
    }

    [Theory]
    [InlineData("attachment; filename=\"stops.zip\"", "stops.zip")]
    [InlineData("attachment; filename=stops.zip", "stops.zip")]
    [InlineData("attachment; filename*=UTF-8''gtfs%20fp2026.zip", "gtfs fp2026.zip")]
    [InlineData("attachment; filename=gtfs fp 2026.zip", "gtfs fp 2026.zip")]
    [InlineData("inline", null)]
    public void FilenameOf_ReadsTheDownloadName(string header, string? expected)
    {
        Assert.Equal(expected, SourceDownloader.FilenameOf(header));
    }

    // The server waits before cutting the connection, so the client normally holds all it was sent; on a loaded machine
    // a reset may still swallow the tail, which only moves the resume point.
    private static long RangeStart(RecordedRequest request)
    {
        Assert.NotNull(request.Range);
        Assert.StartsWith("bytes=", request.Range, StringComparison.Ordinal);
        Assert.EndsWith("-", request.Range, StringComparison.Ordinal);
        return long.Parse(request.Range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
