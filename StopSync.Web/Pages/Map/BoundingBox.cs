using System.Globalization;

namespace StopSync.Web.Pages.Map;

public sealed record BoundingBox(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    /// <summary>Wide enough for the whole of Switzerland (4.5° × 2°), small enough to keep one answer bounded.</summary>
    public const double MaxSpanDegrees = 6;

    public static bool TryParse(string? text, out BoundingBox box, out string error)
    {
        box = new BoundingBox(0, 0, 0, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "bbox is required: bbox=minLon,minLat,maxLon,maxLat";
            return false;
        }

        var parts = text.Split(',');
        var values = new double[4];
        if (parts.Length != 4 || parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).Any(ok => !ok)
            || values.Any(v => !double.IsFinite(v)))
        {
            error = $"bbox must be four finite numbers minLon,minLat,maxLon,maxLat; got '{text}'";
            return false;
        }

        box = new BoundingBox(values[0], values[1], values[2], values[3]);
        if (box.MinLon < -180 || box.MaxLon > 180 || box.MinLat < -90 || box.MaxLat > 90)
        {
            error = "bbox is outside the valid longitude (-180..180) or latitude (-90..90) range";
            return false;
        }

        if (box.MinLon >= box.MaxLon || box.MinLat >= box.MaxLat)
        {
            error = "bbox minimum must be smaller than its maximum (minLon,minLat,maxLon,maxLat)";
            return false;
        }

        if (box.MaxLon - box.MinLon > MaxSpanDegrees || box.MaxLat - box.MinLat > MaxSpanDegrees)
        {
            error = $"bbox is too large: each side may span at most {MaxSpanDegrees} degrees; zoom in";
            return false;
        }

        error = "";
        return true;
    }
}
