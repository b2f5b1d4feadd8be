using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using StopSync.Web.Accounts;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Problems.Decisions;

/// <summary>Reviewers' writes and the decisions' history: /api/decisions (docs/05-api.md, "Decisions").</summary>
public static class DecisionEndpoints
{
    public const string Tag = "Decisions";

    public const string ConflictTitle = "Someone else decided this problem meanwhile";

    public const string AntiforgeryHeader = "RequestVerificationToken";

    public static IServiceCollection AddDecisions(this IServiceCollection services)
    {
        services.AddSingleton<DecisionStore>();
        // The page sends its token in this header with the JSON body (docs/05-api.md, "POST /api/decisions").
        services.AddAntiforgery(o => o.HeaderName = AntiforgeryHeader);
        return services;
    }

    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/decisions").WithTags(Tag);
        api.MapPost("", PostAsync).WithName("PostDecision")
            .WithSummary("Records or changes the decision on a problem (reviewers; antiforgery header RequestVerificationToken).")
            .Accepts<DecisionInput>("application/json")
            .RequireAuthorization(AccountPolicies.Reviewer)
            .RequireRateLimiting(RateLimitPolicies.Decisions);
        api.MapDelete("/{problem_key}", DeleteAsync).WithName("WithdrawDecision")
            .WithSummary("Withdraws the decision on a problem (reviewers; antiforgery header RequestVerificationToken).")
            .RequireAuthorization(AccountPolicies.Reviewer)
            .RequireRateLimiting(RateLimitPolicies.Decisions);
        api.MapMethods("/{problem_key}/history", [HttpMethods.Get, HttpMethods.Head], HistoryAsync).WithName("GetDecisionHistory")
            .WithSummary("Every write to the decision on a problem, newest first, including refused ones.");
        return app;
    }

    internal static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> PostAsync(
        HttpContext http, IAntiforgery antiforgery, DecisionStore store, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (await AntiforgeryProblemAsync(http, antiforgery) is { } forbidden)
        {
            return forbidden;
        }

        DecisionInput? input;
        try
        {
            input = await JsonSerializer.DeserializeAsync<DecisionInput>(http.Request.Body, json.Value.SerializerOptions, ct);
        }
        catch (JsonException ex)
        {
            // The path names the field whose value has the wrong type ("$.revision"); malformed JSON has none.
            var field = ex.Path is { Length: > 2 } path ? path[2..] : "body";
            return Invalid(field, field == "body"
                ? "The body must be a JSON object: {problem_key, kind, note?, chosen_values?, pair_sloid?, pair_osm_id?, revision}."
                : $"{field} has the wrong type.");
        }

        if (input is null)
        {
            return Invalid("body", "The body must be a JSON object: {problem_key, kind, note?, chosen_values?, pair_sloid?, pair_osm_id?, revision}.");
        }

        if (DecisionRules.CheckBody(input) is { } bodyError)
        {
            return Invalid(bodyError.Field, bodyError.Detail);
        }

        var problem = await store.FindProblemAsync(input.ProblemKey!, ct);
        if (problem is null)
        {
            return TypedResults.Problem($"No published problem has the key '{DecisionRules.Shorten(input.ProblemKey)}'.",
                statusCode: StatusCodes.Status404NotFound, title: "Problem not found");
        }

        var (write, error) = DecisionRules.Resolve(input, problem);
        if (error is not null)
        {
            return Invalid(error.Field, error.Detail);
        }

        if (write!.Kind == StopSync.Data.Review.DecisionKinds.SameStop && !await store.CounterpartExistsAsync(write.PairSloid, write.PairOsmId, ct))
        {
            var field = write.PairSloid != problem.Sloid ? "pair_sloid" : "pair_osm_id";
            return Invalid(field, $"{field} names no stop of the published data.");
        }

        return await store.DecideAsync(problem, write, ReviewerOf(http.User), ct) switch
        {
            DecisionOutcome.Stored stored => TypedResults.Ok(new DecisionResponse(stored.Decision)),
            DecisionOutcome.Conflict conflict => Conflict(conflict.Current),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };
    }

    internal static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> DeleteAsync(
        [FromRoute(Name = "problem_key")] string problemKey,
        [FromQuery(Name = "revision"), Description("The revision of the decision you saw.")] string? revision,
        HttpContext http, IAntiforgery antiforgery, DecisionStore store, CancellationToken ct)
    {
        if (await AntiforgeryProblemAsync(http, antiforgery) is { } forbidden)
        {
            return forbidden;
        }

        if (!int.TryParse(revision?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seen) || seen < 1)
        {
            return Invalid("revision", $"revision is required: the revision of the decision you saw, a whole number from 1; got '{DecisionRules.Shorten(revision)}'.");
        }

        return await store.WithdrawAsync(problemKey, seen, ReviewerOf(http.User), ct) switch
        {
            DecisionOutcome.Withdrawn => TypedResults.Ok(new DecisionResponse(null)),
            DecisionOutcome.Conflict conflict => Conflict(conflict.Current),
            DecisionOutcome.NotFound => TypedResults.Problem($"No decision is stored for the problem '{DecisionRules.Shorten(problemKey)}'.",
                statusCode: StatusCodes.Status404NotFound, title: "Decision not found"),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };
    }

    internal static async Task<Results<Ok<DecisionHistory>, ProblemHttpResult>> HistoryAsync(
        [FromRoute(Name = "problem_key")] string problemKey, DecisionStore store, CancellationToken ct)
    {
        if (problemKey.Length > DecisionRules.MaxProblemKeyLength)
        {
            return Invalid("problem_key", $"problem_key is at most {DecisionRules.MaxProblemKeyLength} characters long.");
        }

        var events = await store.HistoryAsync(problemKey, ct);
        return events is null
            ? TypedResults.Problem($"Neither a published problem nor a decision has the key '{DecisionRules.Shorten(problemKey)}'.",
                statusCode: StatusCodes.Status404NotFound, title: "Problem not found")
            : TypedResults.Ok(new DecisionHistory(events));
    }

    private static async Task<ProblemHttpResult?> AntiforgeryProblemAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return TypedResults.Problem(
                "The antiforgery token is missing or invalid: send the page's request-verification-token in the RequestVerificationToken header; reload the page if it has expired.",
                statusCode: StatusCodes.Status403Forbidden, title: "Invalid antiforgery token");
        }
    }

    private static ProblemHttpResult Conflict(DecisionView? current)
    {
        var detail = current is null
            ? "The decision you saw was withdrawn meanwhile. Your input was kept in the history; decide again if it still applies."
            : $"{current.DecidedBy} recorded '{current.Kind}' at {current.DecidedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC " +
              $"(revision {current.Revision}). Your input was kept in the history; decide again if it still applies.";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: ConflictTitle,
            extensions: new Dictionary<string, object?> { ["current"] = current });
    }

    private static Reviewer ReviewerOf(ClaimsPrincipal user)
    {
        // Decisions are shown beside the stop to other reviewers: the display name when the account has one.
        var name = AccountClaimsFactory.NameOf(user) ?? "unknown";
        return new Reviewer(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? name, name);
    }

    private static ProblemHttpResult Invalid(string field, string detail) => ProblemEndpoints.Invalid(field, detail);
}

/// <summary>The stored decision after a write; null after a withdrawal.</summary>
public sealed record DecisionResponse(DecisionView? Decision);

public sealed record DecisionHistory(IReadOnlyList<DecisionEventView> Events);
