using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using StopSync.Web.Pages.Map;

namespace StopSync.Web.Pages.Routes.GtfsStops;

/// <summary>The GTFS stop_id ↔ SLOID map (docs/08-site.md, "GTFS stops ↔ SLOIDs"): the page is a shell, its data comes from the API.</summary>
public sealed class IndexModel(IOptions<MapOptions> options, RouteDataGuard guard) : PageModel
{
    public const string Path = "/routes/gtfs-stop-id-sloid";

    public MapOptions Options { get; } = options.Value;

    /// <summary>Set while an operator holds the data in maintenance: the page then says so instead of loading the map.</summary>
    public string? MaintenancePhase { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        // The page takes no parameters: one address per view, whatever a link appended.
        if (Request.QueryString.HasValue)
        {
            return RedirectPermanentPreserveMethod(Request.PathBase + Path);
        }

        if (await guard.BlockingPhaseAsync() is { } phase)
        {
            MaintenancePhase = phase;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            RouteDataGuard.SetRetryAfter(Response);
        }

        return Page();
    }
}
