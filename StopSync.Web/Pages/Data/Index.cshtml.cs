using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace StopSync.Web.Pages.Data;

/// <summary><c>/data</c> is the section, not a page of its own: a temporary redirect to its first tab, so the tab the section opens on can change.</summary>
public sealed class IndexModel : PageModel
{
    public const string FirstTab = "/data/analytics";

    public IActionResult OnGet() => Redirect(FirstTab);
}
