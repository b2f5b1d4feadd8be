using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace StopSync.Jobs.Sources.Acquisition;

public sealed record DownloadResult(string FilePath, long Bytes, int Resumes);

/// <summary>The resilience handler retries requests; this class resumes a body that breaks off, which no handler sees.</summary>
public sealed partial class SourceDownloader(
    HttpClient http,
    IOptions<SourceOptions> options,
    TimeProvider time,
    ILogger<SourceDownloader> logger)
{
    private const string PartSuffix = ".part";

    // Beside the .part: the address and validator it was started with, so a later run resumes only the same file.
    private const string ResumeSuffix = ".part.resume";

    /// <summary>Never throws for a failing source: the snapshot then has <c>ProbeOk = false</c> and the error.</summary>
    public async Task<SourceSnapshot> ProbeAsync(string label, Uri url, CancellationToken ct)
    {
        var probedAt = time.GetUtcNow();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.ProbeTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(0, 0);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var snapshot = SnapshotOf(label, url, response, probedAt);
            logger.LogInformation(
                "Probed {Source} {Url}: HTTP {Status}, ETag {ETag}, Last-Modified {LastModified}, file {DownloadFilename}",
                label, url, snapshot.Status, snapshot.ETag, snapshot.LastModified, snapshot.DownloadFilename);
            return snapshot;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var error = e is OperationCanceledException ? $"no answer within {options.Value.ProbeTimeout}" : e.Message;
            logger.LogWarning("Probe of {Source} {Url} failed: {Error}", label, url, error);
            return new SourceSnapshot { Label = label, Url = url.ToString(), ProbeOk = false, Error = error, ProbedAt = probedAt };
        }
    }

    /// <summary>A 4xx answer deletes the partial file (the resource is gone); other failures keep it for the next run.</summary>
    public async Task<DownloadResult> DownloadAsync(
        Uri url,
        string destinationPath,
        IProgress<DownloadProgress>? progress,
        CancellationToken ct)
    {
        var part = destinationPath + PartSuffix;
        var resumeFile = destinationPath + ResumeSuffix;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destinationPath))!);
        var resumeFrom = await ReadResumeStateAsync(part, resumeFile, url, ct);
        var offset = resumeFrom is null ? 0 : new FileInfo(part).Length;
        var ifRange = resumeFrom?.Validator;
        if (offset > 0)
        {
            logger.LogInformation("Resuming {Url} from byte {Offset} of an earlier run", url, offset);
        }

        var resumes = 0;
        long bytes;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
                if (ifRange is not null)
                {
                    // The server answers 200 with the whole file when its copy no longer matches our partial one.
                    request.Headers.TryAddWithoutValidation("If-Range", ifRange);
                }
            }

            using var response = await SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
            {
                logger.LogWarning("{Url} refused to continue at byte {Offset}; downloading it again", url, offset);
                Discard(part, resumeFile);
                (offset, ifRange) = (0, null);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                if (status is >= 400 and < 500)
                {
                    Discard(part, resumeFile);
                }

                throw new SourceAcquisitionException(
                    $"GET {url} failed with HTTP {status} {response.ReasonPhrase}; the previously cached file, if any, is unchanged.");
            }

            long? total;
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = response.Content.Headers.ContentRange;
                if (range?.From != offset)
                {
                    logger.LogWarning(
                        "{Url} answered the range from byte {Offset} with {ContentRange}; downloading it again", url, offset, range);
                    Discard(part, resumeFile);
                    (offset, ifRange) = (0, null);
                    continue;
                }

                total = range.Length;
            }
            else
            {
                if (offset > 0)
                {
                    logger.LogInformation("{Url} sent the whole file instead of the rest; starting over", url);
                }

                offset = 0;
                total = response.Content.Headers.ContentLength;
                ifRange = ResumeValidator(response);
                await WriteResumeStateAsync(resumeFile, url, ifRange, ct);
            }

            try
            {
                await using (var file = ResponseBodyCopier.OpenTarget(part, append: offset > 0))
                {
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    bytes = await ResponseBodyCopier.CopyAsync(body, file, offset, total, options.Value.RequestTimeout, progress, ct);
                    if (total is { } expected && bytes != expected)
                    {
                        throw new TransferInterruptedException($"the file has {bytes} of {expected} bytes");
                    }

                    file.Flush(flushToDisk: true);
                }

                break;
            }
            catch (TransferInterruptedException e) when (resumes < options.Value.MaxRetries)
            {
                resumes++;
                offset = File.Exists(part) ? new FileInfo(part).Length : 0;
                var delay = options.Value.RetryDelay * Math.Pow(2, resumes - 1);
                logger.LogWarning(
                    "Download of {Url} broke off at byte {Offset} ({Reason}); resuming in {Delay} (resume {Resume} of {MaxResumes})",
                    url, offset, e.Message, delay, resumes, options.Value.MaxRetries);
                await Task.Delay(delay, time, ct);
            }
            catch (TransferInterruptedException e)
            {
                throw new SourceAcquisitionException(
                    $"GET {url} broke off {resumes + 1} times, last: {e.Message}. The partial file is kept; "
                    + "a later run resumes it if the server still identifies the same file.", e);
            }
        }

        File.Move(part, destinationPath, overwrite: true);
        File.Delete(resumeFile);
        logger.LogInformation("Downloaded {Url} to {Path}: {Bytes} bytes, {Resumes} resumes", url, destinationPath, bytes, resumes);
        return new DownloadResult(destinationPath, bytes, resumes);
    }

    internal static SourceSnapshot SnapshotOf(string label, Uri url, HttpResponseMessage response, DateTimeOffset probedAt)
    {
        var finalUrl = response.RequestMessage?.RequestUri ?? url;
        var contentDisposition = RawHeader(response.Content.Headers, "Content-Disposition");
        return new SourceSnapshot
        {
            Label = label,
            Url = url.ToString(),
            ProbeOk = response.IsSuccessStatusCode,
            Status = (int)response.StatusCode,
            FinalUrl = finalUrl.GetLeftPart(UriPartial.Path),
            ETag = RawHeader(response.Headers, "ETag"),
            LastModified = RawHeader(response.Content.Headers, "Last-Modified"),
            ContentLength = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.Length is { } whole
                ? whole
                : response.Content.Headers.ContentLength,
            ContentDisposition = contentDisposition,
            DownloadFilename = FilenameOf(contentDisposition),
            Error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}",
            ProbedAt = probedAt,
        };
    }

    /// <summary>The file name of a <c>Content-Disposition</c>: the RFC 6266 parse first, then a lenient pattern for
    /// headers the parser rejects (unquoted names with spaces occur in the wild).</summary>
    internal static string? FilenameOf(string? contentDisposition)
    {
        if (string.IsNullOrWhiteSpace(contentDisposition))
        {
            return null;
        }

        if (ContentDispositionHeaderValue.TryParse(contentDisposition, out var parsed)
            && (parsed.FileNameStar ?? parsed.FileName?.Trim('"')) is { Length: > 0 } name)
        {
            return name;
        }

        var match = FilenamePattern().Match(contentDisposition);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    [GeneratedRegex("""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", RegexOptions.IgnoreCase)]
    private static partial Regex FilenamePattern();

    private static string? RawHeader(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) && values.ToString() is { Length: > 0 } value ? value : null;

    /// <summary>If-Range accepts a strong entity tag or a date; a weak tag cannot promise identical bytes.</summary>
    private static string? ResumeValidator(HttpResponseMessage response)
    {
        var etag = RawHeader(response.Headers, "ETag");
        if (etag is not null && !etag.StartsWith("W/", StringComparison.Ordinal))
        {
            return etag;
        }

        return RawHeader(response.Content.Headers, "Last-Modified");
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        SourceHttp.SendAsync(http, request, "GET", options.Value.MaxRetries, options.Value.RequestTimeout, options.Value.MaxRetries + 1, ct);

    private async Task<ResumeState?> ReadResumeStateAsync(string part, string resumeFile, Uri url, CancellationToken ct)
    {
        if (!File.Exists(part))
        {
            File.Delete(resumeFile);
            return null;
        }

        ResumeState? state = null;
        try
        {
            if (File.Exists(resumeFile))
            {
                await using var stream = File.OpenRead(resumeFile);
                state = await JsonSerializer.DeserializeAsync<ResumeState>(stream, cancellationToken: ct);
            }
        }
        catch (JsonException)
        {
            state = null;
        }

        // Without a validator nothing proves the server still has the file the partial copy came from.
        if (state?.Validator is null || state.Url != url.ToString())
        {
            logger.LogInformation("Discarding the partial download {Part}: it cannot be matched to {Url}", part, url);
            Discard(part, resumeFile);
            return null;
        }

        return state;
    }

    private static async Task WriteResumeStateAsync(string resumeFile, Uri url, string? validator, CancellationToken ct)
    {
        if (validator is null)
        {
            File.Delete(resumeFile);
            return;
        }

        await File.WriteAllTextAsync(resumeFile, JsonSerializer.Serialize(new ResumeState(url.ToString(), validator)), ct);
    }

    private static void Discard(string part, string resumeFile)
    {
        File.Delete(part);
        File.Delete(resumeFile);
    }

    private sealed record ResumeState(string Url, string? Validator);
}
