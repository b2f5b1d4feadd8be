using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace StopSync.Web.Pages.Routes;

/// <summary>
/// /routes/compare: the frame of the side-by-side comparison of two itineraries; compare.js reads
/// /api/routes/comparison and the picker's candidates (docs/08-site.md, "Routes").
/// </summary>
public sealed class CompareModel(RouteAvailability availability) : PageModel
{
    public long? AtlasId { get; private set; }

    public long? OsmId { get; private set; }

    public (string Parameter, string Message)? Error { get; private set; }

    public bool Available { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!TryId("atlas_itinerary_id", out var atlas) || !TryId("osm_itinerary_id", out var osm))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (atlas is null && osm is null)
        {
            Error = ("atlas_itinerary_id", "Give atlas_itinerary_id, osm_itinerary_id or both: the itineraries to compare.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        (AtlasId, OsmId) = (atlas, osm);
        Available = await availability.HasRoutesAsync(ct);
        return Page();
    }

    private bool TryId(string name, out long? id)
    {
        id = null;
        if (!Request.Query.TryGetValue(name, out var values) || (values.Count == 1 && string.IsNullOrWhiteSpace(values[0])))
        {
            return true;
        }

        if (values.Count == 1 && int.TryParse(values[0]!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
        {
            id = n;
            return true;
        }

        var shown = values.ToString();
        Error = (name, $"{name} must be a whole number from 1 to {int.MaxValue}; got '{(shown.Length <= 60 ? shown : shown[..60] + "…")}'.");
        return false;
    }
}
