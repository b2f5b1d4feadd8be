using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace StopSync.Web.Pages.Map;

public sealed class IndexModel(IOptions<MapOptions> options) : PageModel
{
    public MapOptions Options { get; } = options.Value;

    public void OnGet()
    {
    }
}
