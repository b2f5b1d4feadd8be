using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace StopSync.Web.Pages.Map;

/// <summary>The viewport of /api/data: <c>bbox=min_lat,min_lon,max_lat,max_lon</c>, or the four corners as separate parameters.</summary>
public sealed record ViewportQuery
{
    [FromQuery(Name = "bbox"), Description("min_lat,min_lon,max_lat,max_lon in WGS 84 degrees (latitude first); or send min_lat, min_lon, max_lat, max_lon separately.")]
    public string? Bbox { get; init; }

    [FromQuery(Name = "min_lat"), Description("South edge (degrees), when bbox is not sent.")]
    public string? MinLat { get; init; }

    [FromQuery(Name = "min_lon"), Description("West edge (degrees), when bbox is not sent.")]
    public string? MinLon { get; init; }

    [FromQuery(Name = "max_lat"), Description("North edge (degrees), when bbox is not sent.")]
    public string? MaxLat { get; init; }

    [FromQuery(Name = "max_lon"), Description("East edge (degrees), when bbox is not sent.")]
    public string? MaxLon { get; init; }

    /// <summary>
    /// A padded viewport far out of the map can reach past the poles or the antimeridian; it is clamped to the valid
    /// range rather than refused. There is no size limit: an answer is capped by rows, not by area.
    /// </summary>
    public bool TryParse(out BoundingBox box, out string parameter, out string error)
    {
        box = new BoundingBox(0, 0, 0, 0);
        double minLat, minLon, maxLat, maxLon;
        if (!string.IsNullOrWhiteSpace(Bbox))
        {
            parameter = "bbox";
            var parts = Bbox.Split(',');
            var values = new double[4];
            if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && double.IsFinite(values[i])).All(ok => ok))
            {
                error = $"bbox must be four finite numbers min_lat,min_lon,max_lat,max_lon; got '{Bbox}'";
                return false;
            }

            (minLat, minLon, maxLat, maxLon) = (values[0], values[1], values[2], values[3]);
        }
        else
        {
            var corners = new[] { ("min_lat", MinLat), ("min_lon", MinLon), ("max_lat", MaxLat), ("max_lon", MaxLon) };
            var values = new double[4];
            if (corners.All(c => string.IsNullOrWhiteSpace(c.Item2)))
            {
                parameter = "bbox";
                error = "bbox is required: bbox=min_lat,min_lon,max_lat,max_lon, or min_lat, min_lon, max_lat and max_lon";
                return false;
            }

            for (var i = 0; i < corners.Length; i++)
            {
                var (name, text) = corners[i];
                if (string.IsNullOrWhiteSpace(text))
                {
                    parameter = name;
                    error = $"{name} is missing: send bbox=min_lat,min_lon,max_lat,max_lon, or all of min_lat, min_lon, max_lat and max_lon";
                    return false;
                }

                if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                {
                    parameter = name;
                    error = $"{name} must be a finite number of degrees; got '{text}'";
                    return false;
                }
            }

            parameter = "bbox";
            (minLat, minLon, maxLat, maxLon) = (values[0], values[1], values[2], values[3]);
        }

        if (minLat >= maxLat || minLon >= maxLon)
        {
            error = "bbox minimum must be smaller than its maximum (min_lat < max_lat, min_lon < max_lon)";
            return false;
        }

        box = new BoundingBox(Math.Max(minLon, -180), Math.Max(minLat, -90), Math.Min(maxLon, 180), Math.Min(maxLat, 90));
        error = "";
        return true;
    }
}
