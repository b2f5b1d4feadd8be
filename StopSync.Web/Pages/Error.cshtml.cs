using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace StopSync.Web.Pages;

[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "The request could not be completed. The problem was logged.";

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        if (code == StatusCodes.Status404NotFound)
        {
            Title = "Page not found";
            Message = "There is no page at this address.";
        }
        else if (code is >= 400 and < 500)
        {
            Title = $"Request refused ({code})";
            Message = "The request was not accepted.";
        }
    }
}
