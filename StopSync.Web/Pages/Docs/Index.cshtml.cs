using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace StopSync.Web.Pages.Docs;

public sealed class IndexModel(DocsCatalog catalog) : PageModel
{
    public IReadOnlyList<DocPage> AllPages { get; private set; } = [];
    public DocPage? Current { get; private set; }
    public string Html { get; private set; } = "";

    public IActionResult OnGet(string? slug)
    {
        AllPages = catalog.Pages();
        Current = catalog.Find(slug);
        if (Current is null)
        {
            return NotFound();
        }

        Html = catalog.Render(Current);
        return Page();
    }
}
