using System.Text.Json.Serialization;

namespace StopSync.Jobs.Sources.Acquisition;

public sealed record SourceSnapshot
{
    public required string Label { get; init; }

    public required string Url { get; init; }

    public bool ProbeOk { get; init; }

    public int? Status { get; init; }

    /// <summary>The address after redirects, without query or fragment (signed redirect targets carry expiring tokens).</summary>
    public string? FinalUrl { get; init; }

    [JsonPropertyName("etag")]
    public string? ETag { get; init; }

    public string? LastModified { get; init; }

    /// <summary>The size of the whole file: from <c>Content-Range</c> on a 206, else <c>Content-Length</c>.</summary>
    public long? ContentLength { get; init; }

    public string? ContentDisposition { get; init; }

    public string? DownloadFilename { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset ProbedAt { get; init; }

    /// <summary>A snapshot can vouch for a file only when the probe succeeded and saw at least one validator.</summary>
    [JsonIgnore]
    public bool IsUsable =>
        ProbeOk && (Has(ETag) || Has(LastModified) || Has(DownloadFilename) || Has(FinalUrl));

    internal static bool Has(string? value) => !string.IsNullOrWhiteSpace(value);
}
