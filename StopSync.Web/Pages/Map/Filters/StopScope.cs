using System.Collections.Immutable;

namespace StopSync.Web.Pages.Map.Filters;

/// <summary>
/// The scope part of a filter (<c>stop_filter</c> and <c>match_method</c>): matched branch ∨ ATLAS-unmatched branch ∨
/// OSM-unmatched branch. Inactive when neither parameter is sent; active but empty (no branch) when only unknown values
/// were sent, which selects nothing.
/// </summary>
public sealed record StopScope(
    bool Active,
    bool AllMatched,
    ImmutableArray<string> MatchedMethods,
    bool AllAtlasUnmatched,
    ImmutableArray<string> AtlasRefinements,
    bool OsmUnmatched)
{
    public bool SelectsNothing => Active && !AllMatched && MatchedMethods.IsEmpty && !AllAtlasUnmatched && AtlasRefinements.IsEmpty && !OsmUnmatched;

    /// <summary>The trio method also admits trio middles that count as matched because both sides are.</summary>
    public bool AdmitsEffectivelyMatched => AllMatched || MatchedMethods.Contains(FilterValues.TrioMethod);

    public static StopScope Of(StopFilter filter)
    {
        var methods = filter.MatchMethods;
        var matchedMethods = methods.Where(FilterValues.MatchedMethods.Contains).Distinct().ToImmutableArray();
        var refinements = methods.Where(m => m is FilterValues.NoNearbyCounterpart or FilterValues.OsmWithin50m).Distinct().ToImmutableArray();
        var allMatched = filter.StopTypes.Contains(FilterValues.Matched);
        var allAtlasUnmatched = filter.StopTypes.Contains(FilterValues.AtlasUnmatched);
        return new StopScope(
            Active: !filter.StopTypes.IsEmpty || !methods.IsEmpty,
            AllMatched: allMatched,
            // "All matched" is not narrowed by methods sent alongside it; a method alone selects its subset of matched rows.
            MatchedMethods: allMatched ? [] : matchedMethods,
            AllAtlasUnmatched: allAtlasUnmatched,
            // A refinement with stop_filter=atlas_unmatched adds nothing: the whole branch is in already.
            AtlasRefinements: allAtlasUnmatched ? [] : refinements,
            OsmUnmatched: filter.StopTypes.Contains(FilterValues.OsmUnmatched));
    }
}
