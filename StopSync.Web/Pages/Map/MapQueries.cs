using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Data.Geo;

namespace StopSync.Web.Pages.Map;

public sealed class MapQueries(StopSyncDbContext db)
{
    public async Task<StopsInBox> StopsInBoxAsync(BoundingBox box, int limit, CancellationToken ct)
    {
        var rows = await InBox(box)
            .OrderBy(s => s.Id)
            .Take(limit + 1)
            .Select(s => new StopMarker(
                s.Id, s.StopType, s.MatchType, s.Sloid, s.OsmNodeId, s.Geom.Y, s.Geom.X, s.OsmLat, s.OsmLon, s.DistanceM,
                db.AtlasStops.Where(a => a.Sloid == s.Sloid).Select(a => a.DesignationOfficial).FirstOrDefault()
                    ?? db.OsmNodes.Where(o => o.OsmNodeId == s.OsmNodeId).Select(o => o.Name).FirstOrDefault()))
            .ToListAsync(ct);
        return new StopsInBox(rows.Take(limit).ToList(), rows.Count > limit);
    }

    // ST_Intersects, so the GiST index on geom is used.
    internal IQueryable<StopMatch> InBox(BoundingBox box)
    {
        var envelope = Srid.Factory.ToGeometry(new Envelope(box.MinLon, box.MaxLon, box.MinLat, box.MaxLat));
        return db.StopsMatched.AsNoTracking().Where(s => s.Geom.Intersects(envelope));
    }
}

public sealed record StopMarker(
    long Id, string StopType, string? MatchType, string? Sloid, string? OsmNodeId, double Lat, double Lon,
    double? OsmLat, double? OsmLon, double? DistanceM, string? Name);

public sealed record StopsInBox(IReadOnlyList<StopMarker> Stops, bool Truncated);
