using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StopSync.Data.Review;

namespace StopSync.Web.Pages.Account;

public sealed class LogoutModel(SignInManager<UserAccount> signIn) : PageModel
{
    // Signing out is a POST with an antiforgery token, so that no link on another site can do it.
    public IActionResult OnGet() => RedirectToPage("/Map/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }
}
