using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using StopSync.Web.Pages.Map;

namespace StopSync.Web.Pages.Routes.GtfsStops;

/// <summary>The GTFS stop_id ↔ SLOID map (docs/08-site.md, "GTFS stops ↔ SLOIDs"): the page is a shell, its data comes from the API.</summary>
// Maintenance and busy tables are answered by the folder's RouteGuardFilter before this model runs.
public sealed class IndexModel(IOptions<MapOptions> options) : PageModel
{
    public const string Path = "/routes/gtfs-stop-id-sloid";

    public MapOptions Options { get; } = options.Value;

    public IActionResult OnGet()
    {
        // The page takes no parameters: one address per view, whatever a link appended.
        if (Request.QueryString.HasValue)
        {
            return RedirectPermanentPreserveMethod(Request.PathBase + Path);
        }

        return Page();
    }
}
