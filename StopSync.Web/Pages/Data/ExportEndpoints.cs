using System.Globalization;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StopSync.Data.Exports;
using StopSync.Data.Jobs;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Data;

/// <summary>
/// Reports of the published data as CSV or GeoJSON (docs/05-api.md, "Exports"): small ones written at once, long ones by
/// the jobs host with progress in Redis. Anonymous like every read of published data; the rate limits bound the cost.
/// </summary>
public static class ExportEndpoints
{
    public const string Tag = "Reports";

    /// <summary>Longer bodies are no export request; read no further.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    public static IServiceCollection AddDataExports(this IServiceCollection services) => services.AddStopSyncExports();

    public static IEndpointRouteBuilder MapDataExportEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags(Tag);
        api.MapPost("/generate_report_async", GenerateAsync).WithName("GenerateReportAsync")
            .WithSummary("Starts an export (JSON, form or JSON text body): small ones are written at once (status completed), others by a background job (status started).")
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicies.ReportAsync);
        api.MapGet("/report_progress/{task_id}", ProgressAsync).WithName("GetReportProgress")
            .WithSummary("The state of an export: status, processed, total, eta_seconds, error, created_at, file_name.")
            .RequireRateLimiting(RateLimitPolicies.ReportProgress);
        api.MapGet("/download_report/{task_id}", DownloadAsync).WithName("DownloadReport")
            .WithSummary("The finished file of an export, as an attachment (text/csv or application/geo+json).")
            .RequireRateLimiting(RateLimitPolicies.ReportDownload);
        api.MapPost("/cancel_report/{task_id}", CancelAsync).WithName("CancelReport")
            .WithSummary("Cancels an export: the job stops at its next chunk, its file is removed.")
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicies.ReportCancel);
        api.MapGet("/generate_report", GenerateNowAsync).WithName("GenerateReport")
            .WithSummary("The same export streamed in the response, for scripts; the same parameters in the query string.")
            .RequireRateLimiting(RateLimitPolicies.ReportSync);
        return app;
    }

    internal static async Task<IResult> GenerateAsync(
        HttpContext http, ExportGenerator generator, ExportTaskStore store, ExportRunner runner, IOptions<ExportOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var input = await ReadInputAsync(http.Request, ct);
        if (input.Error is not null)
        {
            return ErrorResponses.InvalidParameter("body", input.Error);
        }

        var parsed = ExportRequestParser.Parse(input.Values!, options.Value.MaxRows);
        if (parsed.Request is not { } request)
        {
            return ErrorResponses.InvalidParameter(parsed.Parameter!, parsed.Error!);
        }

        var total = await generator.CountAsync(request, ct);
        if (total > options.Value.MaxRows)
        {
            return TooMany(total, options.Value.MaxRows);
        }

        var taskId = Guid.NewGuid().ToString("N");
        var state = new ExportTaskState(taskId, ExportStatuses.Starting, 0, total, null, null, clock.GetUtcNow(),
            FileName(request, taskId), request.ReportType, request.Format);
        await store.CreateAsync(state, request);
        if (total <= options.Value.InlineRows)
        {
            // Small: written during the request (well under a second), so the page downloads it without a progress bar.
            var done = await runner.RunAsync(taskId, null, ct) ?? state;
            return TypedResults.Ok(Started.Of(done));
        }

        http.RequestServices.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<IExportJob>(job => job.RunAsync(taskId, CancellationToken.None));
        return TypedResults.Ok(Started.Of(state with { Status = "started" }));
    }

    internal static async Task<Results<Ok<ExportTaskState>, ProblemHttpResult>> ProgressAsync(string task_id, ExportTaskStore store)
    {
        var state = IsTaskId(task_id) ? await store.GetAsync(task_id) : null;
        return state is null ? NotFound() : TypedResults.Ok(state);
    }

    internal static async Task<IResult> DownloadAsync(string task_id, ExportTaskStore store, ExportFiles files)
    {
        var state = IsTaskId(task_id) ? await store.GetAsync(task_id) : null;
        if (state is null || state.Status == ExportStatuses.Cancelled)
        {
            return NotFound();
        }

        if (state.Status != ExportStatuses.Completed)
        {
            return TypedResults.Problem($"The export is {state.Status}, not completed; poll /api/report_progress/{task_id}.",
                statusCode: StatusCodes.Status409Conflict, title: "Not ready");
        }

        var path = files.PathOf(task_id, state.Format);
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, ExportFormats.ContentType(state.Format), state.FileName)
            : TypedResults.Problem("The export file is gone (files are kept for a limited time); start the export again.",
                statusCode: StatusCodes.Status404NotFound, title: "Not found");
    }

    internal static async Task<Results<Ok<CancelResult>, ProblemHttpResult>> CancelAsync(string task_id, ExportTaskStore store, ExportFiles files)
    {
        var state = IsTaskId(task_id) ? await store.CancelAsync(task_id) : null;
        if (state is null)
        {
            return NotFound();
        }

        // A finished file is removed here; a running job removes its own at its next chunk.
        files.Delete(task_id, state.Format);
        return TypedResults.Ok(new CancelResult(ExportStatuses.Cancelled));
    }

    internal static async Task<IResult> GenerateNowAsync(
        HttpContext http, ExportGenerator generator, IOptions<ExportOptions> options, CancellationToken ct)
    {
        var values = http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
        var parsed = ExportRequestParser.Parse(values, options.Value.MaxRows);
        if (parsed.Request is not { } request)
        {
            return ErrorResponses.InvalidParameter(parsed.Parameter!, parsed.Error!);
        }

        var total = await generator.CountAsync(request, ct);
        if (total > options.Value.MaxRows)
        {
            return TooMany(total, options.Value.MaxRows);
        }

        return new StreamedExport(generator, request, FileName(request, Guid.NewGuid().ToString("N")));
    }

    /// <summary><c>&lt;type&gt;_&lt;sort&gt;_&lt;task8&gt;.csv|geojson</c>.</summary>
    internal static string FileName(ExportRequest request, string taskId) =>
        $"{request.ReportType}_{request.Sort}_{taskId[..8]}.{ExportFormats.Extension(request.Format)}";

    // A task id is 32 hex digits: anything else cannot be one, and never reaches Redis or a path.
    private static bool IsTaskId(string id) => id.Length == 32 && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem("Task not found", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ProblemHttpResult TooMany(long total, int max) => ErrorResponses.InvalidParameter("limit",
        string.Create(CultureInfo.InvariantCulture, $"The export would hold {total:N0} rows, more than the cap of {max:N0}; narrow the filters or set a limit."));

    private sealed record Input(IReadOnlyDictionary<string, string?>? Values, string? Error);

    // The query string, overlaid by a form or a JSON object (sent as application/json or as plain text).
    private static async Task<Input> ReadInputAsync(HttpRequest request, CancellationToken ct)
    {
        var values = request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            foreach (var (key, value) in form)
            {
                values[key] = string.Join(',', value.Where(v => !string.IsNullOrWhiteSpace(v)));
            }
        }
        else if (request.ContentLength is null or > 0)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            if (buffer.Length > MaxBodyBytes)
            {
                return new Input(null, $"The body is larger than {MaxBodyBytes / 1024} KB.");
            }

            if (buffer.Length > 0)
            {
                try
                {
                    using var json = JsonDocument.Parse(buffer.ToArray());
                    if (json.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        return new Input(null, "The body must be a JSON object of the report parameters.");
                    }

                    foreach (var property in json.RootElement.EnumerateObject())
                    {
                        values[property.Name] = Text(property.Value);
                    }
                }
                catch (JsonException)
                {
                    return new Input(null, "The body is not valid JSON; send a JSON object, a form, or query parameters.");
                }
            }
        }

        return values.Count == 0 ? new Input(null, "No data provided") : new Input(values, null);
    }

    // Lists (["SBB", "BLS"]) become the comma lists the other parameters use.
    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => string.Join(',', value.EnumerateArray().Select(Text).Where(v => !string.IsNullOrWhiteSpace(v))),
        _ => null,
    };

    /// <summary>The answer of generate_report_async: the task, its state and, when written at once, where to fetch it.</summary>
    public sealed record Started(string TaskId, string Status, long Processed, long Total, string? Error, string FileName, string? DownloadUrl)
    {
        public static Started Of(ExportTaskState state) => new(state.TaskId, state.Status, state.Processed, state.Total, state.Error,
            state.FileName, state.Status == ExportStatuses.Completed ? $"/api/download_report/{state.TaskId}" : null);
    }

    public sealed record CancelResult(string Status);

    /// <summary>Streams the rows into the response chunk by chunk; an error after the first byte ends the download short.</summary>
    private sealed class StreamedExport(ExportGenerator generator, ExportRequest request, string fileName) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = ExportFormats.ContentType(request.Format);
            var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(fileName);
            response.Headers.ContentDisposition = disposition.ToString();
            await generator.WriteAsync(request, response.Body, null, httpContext.RequestAborted);
        }
    }
}
