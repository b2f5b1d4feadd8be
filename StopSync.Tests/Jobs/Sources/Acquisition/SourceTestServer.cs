using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StopSync.Tests.Jobs.Sources.Acquisition;

internal sealed record RecordedRequest(
    string Method,
    string Path,
    string? Range,
    string? IfRange,
    string? UserAgent,
    string? ContentType,
    string? Accept,
    string Body)
{
    /// <summary>A freshness probe asks for the first byte only; anything else fetches the file.</summary>
    public bool IsProbe => Range == "bytes=0-0";
}

/// <summary>What the server does instead of serving a file, once per queued fault.</summary>
/// <param name="AbortAfterBytes">Cut the connection after this much of the body; 0 cuts it before the headers.</param>
internal sealed record Fault(int Status = 200, string Body = "", int? AbortAfterBytes = null);

internal sealed class TestFile(byte[] content)
{
    public byte[] Content { get; set; } = content;

    public string? ETag { get; set; }

    public string? LastModified { get; set; }

    public string? ContentDisposition { get; set; }

    public bool SupportsRanges { get; set; } = true;

    public ConcurrentQueue<Fault> Faults { get; } = new();
}

/// <summary>
/// A real HTTP server on a loopback port of its own: it serves byte arrays with validators and byte ranges, redirects,
/// and can answer with an error status or cut the connection in the middle of a body. It records every request.
/// </summary>
internal sealed partial class SourceTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TestFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _redirects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private SourceTestServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<SourceTestServer> StartAsync()
    {
        var server = new SourceTestServer();
        await server._app.StartAsync();
        server.BaseUri = new Uri(server._app.Urls.Single());
        return server;
    }

    public Uri Url(string path) => new(BaseUri, path);

    public TestFile Serve(string path, byte[] content)
    {
        var file = new TestFile(content);
        _files[path] = file;
        return file;
    }

    public void Remove(string path) => _files.TryRemove(path, out _);

    public void Redirect(string path, string target) => _redirects[path] = target;

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => [.. _requests.Where(r => r.Path == path)];

    public void ClearRequests() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var path = request.Path.Value ?? "/";
        _requests.Enqueue(new RecordedRequest(
            request.Method,
            path,
            Header(request, "Range"),
            Header(request, "If-Range"),
            Header(request, "User-Agent"),
            Header(request, "Content-Type"),
            Header(request, "Accept"),
            body));

        if (_redirects.TryGetValue(path, out var target))
        {
            response.Redirect(target);
            return;
        }

        if (!_files.TryGetValue(path, out var file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            await response.WriteAsync("no such file", context.RequestAborted);
            return;
        }

        if (file.Faults.TryDequeue(out var fault))
        {
            await FailAsync(context, file, fault);
            return;
        }

        var content = file.Content;
        SetValidators(response, file);
        var range = ParseRange(request, file);
        if (range is var (from, to))
        {
            if (from >= content.Length)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }

            to = Math.Min(to ?? content.Length - 1, content.Length - 1);
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {from}-{to}/{content.Length}";
            response.ContentLength = to.Value - from + 1;
            await response.Body.WriteAsync(content.AsMemory((int)from, (int)(to.Value - from + 1)), context.RequestAborted);
            return;
        }

        response.ContentLength = content.Length;
        await response.Body.WriteAsync(content, context.RequestAborted);
    }

    private static async Task FailAsync(HttpContext context, TestFile file, Fault fault)
    {
        var response = context.Response;
        response.StatusCode = fault.Status;
        if (fault.AbortAfterBytes is not { } cut)
        {
            await response.WriteAsync(fault.Body, context.RequestAborted);
            return;
        }

        if (cut == 0)
        {
            context.Abort();
            return;
        }

        // Announce the whole file, send its beginning, give the client time to store it, then drop the connection.
        SetValidators(response, file);
        response.ContentLength = file.Content.Length;
        await response.Body.WriteAsync(file.Content.AsMemory(0, cut), context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        await Task.Delay(300, context.RequestAborted);
        context.Abort();
    }

    private static void SetValidators(HttpResponse response, TestFile file)
    {
        if (file.ETag is not null)
        {
            response.Headers.ETag = file.ETag;
        }

        if (file.LastModified is not null)
        {
            response.Headers.LastModified = file.LastModified;
        }

        if (file.ContentDisposition is not null)
        {
            response.Headers.ContentDisposition = file.ContentDisposition;
        }

        if (file.SupportsRanges)
        {
            response.Headers.AcceptRanges = "bytes";
        }
    }

    /// <summary>The requested byte range, or null when the whole file is to be sent (no range support, no Range
    /// header, or an If-Range that no longer matches the file).</summary>
    private static (long From, long? To)? ParseRange(HttpRequest request, TestFile file)
    {
        if (!file.SupportsRanges || Header(request, "Range") is not { } header)
        {
            return null;
        }

        if (Header(request, "If-Range") is { } ifRange && ifRange != file.ETag && ifRange != file.LastModified)
        {
            return null;
        }

        var match = RangePattern().Match(header);
        if (!match.Success)
        {
            return null;
        }

        var from = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        long? to = match.Groups[2].Length > 0 ? long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        return (from, to);
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    [GeneratedRegex(@"^bytes=(\d+)-(\d*)$")]
    private static partial Regex RangePattern();
}
