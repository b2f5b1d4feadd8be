using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages;

[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "The request could not be completed. The problem was logged.";

    // The status-code pages pass the code in the query; the exception handler has already set it on the response.
    public void OnGet(int? code) => Describe(code ?? Response.StatusCode);

    public void OnPost(int? code) => Describe(code ?? Response.StatusCode);

    private void Describe(int code)
    {
        if (code == StatusCodes.Status503ServiceUnavailable)
        {
            Title = DatabaseOutage.Title;
            Message = DatabaseOutage.Detail;
        }
        else if (code == StatusCodes.Status404NotFound)
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
