using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using StopSync.Data.Review;
using StopSync.Web.Accounts;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Account;

/// <summary>
/// Where an invitee sets their password. The link carries an Identity password-reset token, which dies when it is
/// used, when an administrator makes a new link, and after Accounts:InviteLifetime.
/// </summary>
[EnableRateLimiting(AdminPolicy.SignInRateLimit)]
public sealed class InviteModel(SignInManager<UserAccount> signIn, TimeProvider time) : PageModel
{
    public const string InvalidLink = "This invite link is not valid (any more): it was used, replaced by a newer one or has expired. Ask an administrator for a new one.";

    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? UserName { get; private set; }

    public bool Valid { get; private set; }

    /// <summary>The link an administrator hands to the invitee.</summary>
    public static string Link(HttpRequest request, string userId, string token) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/account/invite?user={Uri.EscapeDataString(userId)}" +
        $"&token={WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token))}";

    public async Task OnGetAsync()
    {
        var (user, token) = await ResolveAsync();
        Valid = user is not null && await signIn.UserManager.VerifyUserTokenAsync(
            user, signIn.Options.Tokens.PasswordResetTokenProvider, UserManager<UserAccount>.ResetPasswordTokenPurpose, token!);
        UserName = Valid ? user!.UserName : null;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var (user, token) = await ResolveAsync();
        if (user is null)
        {
            ModelState.AddModelError(string.Empty, InvalidLink);
            return Page();
        }

        Valid = true;
        UserName = user.UserName;
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.UserManager.ResetPasswordAsync(user, token!, Input.Password);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            {
                Valid = false;
                ModelState.AddModelError(string.Empty, InvalidLink);
            }
            else
            {
                AccountForm.AddErrors(ModelState, result, "Input");
            }

            return Page();
        }

        // The password is set either way; a locked account signs in once an administrator unlocks it.
        if (await signIn.UserManager.IsLockedOutAsync(user))
        {
            return RedirectToPage("/Account/Login");
        }

        user.LastSignInAt = time.GetUtcNow();
        await signIn.UserManager.UpdateAsync(user);
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect("/");
    }

    private async Task<(UserAccount? User, string? Token)> ResolveAsync()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Token))
        {
            return (null, null);
        }

        string token;
        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Token));
        }
        catch (FormatException)
        {
            return (null, null);
        }

        return (await signIn.UserManager.FindByIdAsync(UserId), token);
    }

    public sealed class InputModel
    {
        [Required]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Required]
        [DataType(DataType.Password)]
        [Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
        [Display(Name = "Password again")]
        public string ConfirmPassword { get; set; } = "";
    }
}
