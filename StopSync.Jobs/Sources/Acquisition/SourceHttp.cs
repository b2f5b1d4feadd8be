using Polly.Timeout;

namespace StopSync.Jobs.Sources.Acquisition;

/// <summary>Sends a source request through the resilience pipeline and turns its final failure into one clear message.</summary>
internal static class SourceHttp
{
    /// <param name="timeoutAttempts">How many attempts a timeout gets (the retry policy may not retry timeouts); null leaves it unsaid.</param>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpRequestMessage request, string what, int retries, TimeSpan timeout, int? timeoutAttempts, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new SourceAcquisitionException($"{what} {request.RequestUri} failed after {retries} retries: {e.Message}", e);
        }
        catch (TimeoutRejectedException e)
        {
            var attempts = timeoutAttempts is { } n ? $" in {n} attempts" : "";
            throw new SourceAcquisitionException($"{what} {request.RequestUri} got no answer within {timeout}{attempts}.", e);
        }
    }
}
