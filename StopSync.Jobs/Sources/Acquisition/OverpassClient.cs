using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StopSync.Jobs.Sources.Acquisition;

/// <summary>Retries only 502, 504 and network errors: any other status is an answer about the query.</summary>
public sealed class OverpassClient(HttpClient http, IOptions<SourceOptions> options, TimeProvider time, ILogger<OverpassClient> logger)
{
    public const string AcceptHeader = "application/osm3s+xml, text/xml, application/xml;q=0.9, */*;q=0.1";

    // Overpass explains a refused query in the body; its beginning is enough to say why.
    private const int ErrorBodyChars = 400;

    /// <summary>Writes the answer to <c>&lt;destination&gt;.part</c> and renames it when complete; returns its length.</summary>
    public async Task<long> QueryToFileAsync(
        Uri endpoint,
        string query,
        string destinationPath,
        IProgress<DownloadProgress>? progress,
        CancellationToken ct)
    {
        var part = destinationPath + ".part";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destinationPath))!);
        for (var attempt = 0; ; attempt++)
        {
            using var request = CreateRequest(endpoint, query);
            using var response = await SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var body = await ReadStartAsync(response, ct);
                throw new SourceAcquisitionException(
                    $"Overpass {endpoint} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
            }

            try
            {
                long bytes;
                await using (var file = ResponseBodyCopier.OpenTarget(part, append: false))
                {
                    await using var stream = await response.Content.ReadAsStreamAsync(ct);
                    var total = response.Content.Headers.ContentLength;
                    bytes = await ResponseBodyCopier.CopyAsync(stream, file, 0, total, options.Value.RequestTimeout, progress, ct);
                    if (total is { } expected && bytes != expected)
                    {
                        throw new TransferInterruptedException($"the answer has {bytes} of {expected} bytes");
                    }

                    file.Flush(flushToDisk: true);
                }

                File.Move(part, destinationPath, overwrite: true);
                logger.LogInformation("Overpass answer saved to {Path}: {Bytes} bytes", destinationPath, bytes);
                return bytes;
            }
            catch (TransferInterruptedException e) when (attempt < options.Value.Osm.MaxRetries)
            {
                // A POST cannot be continued with a range; the query runs again from the start.
                var delay = options.Value.Osm.RetryDelay * Math.Pow(2, attempt);
                logger.LogWarning("Overpass answer broke off ({Reason}); querying again in {Delay}", e.Message, delay);
                File.Delete(part);
                await Task.Delay(delay, time, ct);
            }
            catch (TransferInterruptedException e)
            {
                File.Delete(part);
                throw new SourceAcquisitionException($"Overpass {endpoint} answer broke off {attempt + 1} times, last: {e.Message}", e);
            }
        }
    }

    private static HttpRequestMessage CreateRequest(Uri endpoint, string query)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            // StringContent with text/plain and UTF-8 sends exactly "text/plain; charset=utf-8".
            Content = new StringContent(query.Trim(), Encoding.UTF8, "text/plain"),
        };
        request.Headers.TryAddWithoutValidation("Accept", AcceptHeader);
        return request;
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        SourceHttp.SendAsync(http, request, "Overpass", options.Value.Osm.MaxRetries, options.Value.RequestTimeout, null, ct);

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var encoding = Encoding.UTF8;
            if (response.Content.Headers.ContentType?.CharSet is { Length: > 0 } charset)
            {
                try
                {
                    encoding = Encoding.GetEncoding(charset.Trim('"'));
                }
                catch (ArgumentException)
                {
                    // An unknown charset name: UTF-8 still shows most of an error page.
                }
            }

            using var reader = new StreamReader(stream, encoding);
            var buffer = new char[ErrorBodyChars];
            var read = await reader.ReadBlockAsync(buffer, ct);
            return new string(buffer, 0, read).Trim();
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return $"(body unreadable: {e.Message})";
        }
    }
}
