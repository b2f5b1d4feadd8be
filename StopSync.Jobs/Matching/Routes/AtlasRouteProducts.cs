using StopSync.Jobs.Sources.Gtfs;

namespace StopSync.Jobs.Matching.Routes;

/// <summary>The timetable's line families and itineraries (docs/07-matching.md#lines-and-itineraries).</summary>
public static class AtlasRouteProducts
{
    public const string FamilyOrigin = "gtfs_route";

    /// <summary>One family per GTFS route with Swiss stop calls, ordered by family id.</summary>
    public static IReadOnlyList<LineFamily> Build(GtfsReadResult gtfs)
    {
        ArgumentNullException.ThrowIfNull(gtfs);
        if (gtfs.Itineraries.Count == 0)
        {
            return [];
        }

        var identities = new StopIdentity?[gtfs.Stops.Count];
        var routes = gtfs.Routes.ToDictionary(r => r.RouteId, StringComparer.Ordinal);
        var agencyNames = gtfs.Agencies.Where(a => a.AgencyId is not null)
            .ToDictionary(a => a.AgencyId!, a => a.Name, StringComparer.Ordinal);

        // GTFS lets a one-agency feed leave agency_id out of routes.txt; that agency then runs every route.
        var soleAgency = gtfs.Agencies.Count == 1 ? gtfs.Agencies[0].Name : null;

        return gtfs.Itineraries
            .GroupBy(i => i.RouteId, StringComparer.Ordinal)
            .Select(group =>
            {
                var route = routes.GetValueOrDefault(group.Key);
                var itineraries = group
                    .Select(i => BuildItinerary(i, gtfs, identities))
                    .OrderBy(i => i.ItineraryId, StringComparer.Ordinal)
                    .ToList();
                var shortName = route?.ShortName;
                var agencyId = route?.AgencyId;
                var operatorName = agencyId is not null && agencyNames.TryGetValue(agencyId, out var name) ? name
                    : agencyId is null ? soleAgency
                    : agencyId;
                return new LineFamily(
                    RouteSides.Atlas,
                    FamilyId: group.Key,
                    FamilyOrigin,
                    RouteType: route?.RouteType,
                    Mode: RouteModes.FromGtfsRouteType(route?.RouteType),
                    DisplayRouteId: RouteIds.Display(group.Key),
                    GtfsRouteId: group.Key,
                    NormalizedRouteId: RouteIds.Normalize(group.Key),
                    PublicName: shortName ?? route?.LongName,
                    Ref: shortName,
                    Operator: operatorName,
                    Network: null,
                    AgencyId: agencyId,
                    RouteMasterId: null,
                    IsNonGtfs: false,
                    itineraries);
            })
            .OrderBy(f => f.FamilyId, StringComparer.Ordinal)
            .ToList();
    }

    private static Itinerary BuildItinerary(GtfsItinerary itinerary, GtfsReadResult gtfs, StopIdentity?[] identities)
    {
        var calls = new StopCall[itinerary.StopPositions.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            var position = itinerary.StopPositions[i];
            var stop = gtfs.Stops[position];
            var identity = identities[position] ??= StopIdentity.Of(stop, gtfs.Resolutions[position]);
            calls[i] = new StopCall(
                Sequence: i + 1,
                SourceStopId: stop.StopId,
                Sloid: identity.Sloids.Count > 0 ? identity.Sloids[0] : null,
                SloidVariants: identity.Sloids,
                OsmId: null,
                StopKeys: identity.Keys,
                Label: stop.StopName,
                UicRef: stop.UicNumber,
                PlatformCode: stop.PlatformCode ?? stop.LocalRef,
                Lat: stop.Lat,
                Lon: stop.Lon,
                Role: null);
        }

        var (from, to) = calls.Length > 0 ? (calls[0].Label, calls[^1].Label) : (null, null);
        return new Itinerary(
            itinerary.ItineraryId,
            itinerary.DirectionId,
            itinerary.Headsign,
            from,
            to,
            $"{from} → {to}",
            itinerary.TripCount,
            RelationId: null,
            calls);
    }

    /// <summary>Computed once per GTFS stop and shared by all its calls: tens of thousands of itineraries reuse few stops.</summary>
    private sealed record StopIdentity(IReadOnlyList<string> Sloids, IReadOnlyList<string> Keys)
    {
        /// <summary>
        /// A stop that resolves to no sloid (a station-level stop, or one left unmatched) keeps its UIC number as identity,
        /// so it still aligns with any OSM platform of that station (docs/07-matching.md#lines-and-itineraries).
        /// </summary>
        public static StopIdentity Of(GtfsStop stop, GtfsStopResolution resolution)
        {
            var sloids = resolution.Sloids.Order(StringComparer.Ordinal).ToArray();
            var uic = stop.UicNumber is { } number ? "uic:" + number : null;
            string[] keys = sloids.Length > 0
                ? [.. sloids.Select(s => "sloid:" + s), .. uic is null ? [] : (string[])[uic]]
                : [uic ?? "gtfs:" + stop.StopId];
            return new StopIdentity(sloids, keys);
        }
    }
}
