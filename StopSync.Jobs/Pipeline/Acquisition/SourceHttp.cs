using Polly.Timeout;

namespace StopSync.Jobs.Pipeline.Acquisition;

/// <summary>Sends a source request through the resilience pipeline and turns its final failure into one clear message.</summary>
internal static class SourceHttp
{
    /// <param name="what">How the message names the request, e.g. <c>GET</c> or <c>Overpass</c>.</param>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpRequestMessage request, string what, int retries, TimeSpan timeout, CancellationToken ct)
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
            throw new SourceAcquisitionException($"{what} {request.RequestUri} got no answer within {timeout} in {retries + 1} attempts.", e);
        }
    }
}
