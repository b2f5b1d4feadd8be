using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Data.Changes;

public enum ChangesState
{
    /// <summary>The run was compared with the previous one: counts and changes follow.</summary>
    Ready,

    /// <summary>Nothing has been published yet.</summary>
    NoPublication,

    /// <summary>The live publication has no history row (it was published before the history was kept).</summary>
    NoHistory,

    /// <summary>The requested run is not a publication of the history (never published, or past the retention).</summary>
    UnknownRun,

    /// <summary>The run was not compared with a previous one (the first publication, a missing bundle, …).</summary>
    NoComparison,
}

/// <summary>What the changes page and <c>/api/changes</c> show for a query: the same state, header and rows for both.</summary>
public sealed record ChangesView(ChangesState State, ChangeRun? Run, string? Message, ChangePage? Page)
{
    public static async Task<ChangesView> LoadAsync(ChangesQueries queries, ChangesCache cache, ChangesQuery query, CancellationToken ct)
    {
        var live = await queries.LiveRunIdAsync(ct);
        return await cache.GetOrAddAsync(live, "view" + query.ToQueryString(), c => LoadAsync(queries, query, live, c), ct);
    }

    private static async Task<ChangesView> LoadAsync(ChangesQueries queries, ChangesQuery query, Guid? liveRun, CancellationToken ct)
    {
        ChangeRun? run;
        if (query.Run is { } requested)
        {
            run = await queries.RunAsync(requested, ct);
            if (run is null)
            {
                return new(ChangesState.UnknownRun, null,
                    $"Run {requested:D} is not a published run of the history: it never went live, or it is older than the retention.", null);
            }
        }
        else
        {
            if (liveRun is not { } live)
            {
                return new(ChangesState.NoPublication, null,
                    "Nothing has been published yet. Changes are listed from the second publication on, compared with the one before.", null);
            }

            run = await queries.RunAsync(live, ct);
            if (run is null)
            {
                return new(ChangesState.NoHistory, null,
                    "The live publication was made before StopSync kept a history; changes are listed from the next publication on.", null);
            }
        }

        if (run.NoComparisonReason is { } reason)
        {
            return new(ChangesState.NoComparison, run, $"This publication was not compared with a previous one: {reason}", null);
        }

        return new(ChangesState.Ready, run, null, await queries.PageAsync(run.RunId, query, ct));
    }

    /// <summary>"Run 1a2b3c4d published 2026-12-05 06:20, compared with run 9f8e7d6c published 2026-12-04 06:18."</summary>
    public static string Header(ChangeRun run)
    {
        var text = $"Run {ShortId(run.RunId)} published {SwissTime.Format(run.PublishedAt)}";
        if (run.NoComparisonReason is not null)
        {
            return text + ".";
        }

        return run.PreviousRunId is { } previous
            ? text + $", compared with run {ShortId(previous)}" + (run.PreviousPublishedAt is { } at ? $" published {SwissTime.Format(at)}." : " (no longer in the history).")
            : text + ".";
    }

    public static string ShortId(Guid run) => run.ToString("N")[..8];
}
