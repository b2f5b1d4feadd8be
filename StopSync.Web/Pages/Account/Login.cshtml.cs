using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using StopSync.Data.Review;
using StopSync.Web.Accounts;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Account;

[EnableRateLimiting(AdminPolicy.SignInRateLimit)]
public sealed class LoginModel(
    SignInManager<UserAccount> signIn,
    IOptions<AccountOptions> accounts,
    TimeProvider time,
    ILogger<LoginModel> logger) : PageModel
{
    public const string WrongCredentials = "Unknown user name or wrong password.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool SignUpOpen => accounts.Value.AllowSignUp;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await AccountDirectory.FindByNameOrEmailAsync(signIn.UserManager, Input.UserName.Trim());
        // Failures count towards the lockout (docs/09-review.md, "Accounts"), also for invitees who have no password yet.
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            user!.LastSignInAt = time.GetUtcNow();
            await signIn.UserManager.UpdateAsync(user);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused: account {UserName} is locked (from {RemoteIp})", user!.UserName, HttpContext.Connection.RemoteIpAddress);
            ModelState.AddModelError(string.Empty,
                $"This account is locked after {AccountRules.MaxFailedSignIns} failed sign-ins or by an administrator. " +
                $"Try again in {AccountRules.LockoutDuration.TotalMinutes:0} minutes, or ask an administrator to unlock it.");
            return Page();
        }

        logger.LogWarning("Failed sign-in for {UserName} from {RemoteIp}", Input.UserName, HttpContext.Connection.RemoteIpAddress);
        ModelState.AddModelError(string.Empty, WrongCredentials);
        return Page();
    }

    public sealed class InputModel
    {
        [Required]
        [Display(Name = "User name or e-mail")]
        public string UserName { get; set; } = "";

        [Required]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Display(Name = "Keep me signed in on this browser")]
        public bool RememberMe { get; set; }
    }
}
