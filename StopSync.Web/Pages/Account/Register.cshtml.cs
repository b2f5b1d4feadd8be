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

/// <summary>Sign-up, only with Accounts:AllowSignUp; the new account has no role until an administrator grants one.</summary>
[EnableRateLimiting(AdminPolicy.SignInRateLimit)]
public sealed class RegisterModel(
    AccountDirectory directory,
    SignInManager<UserAccount> signIn,
    IOptions<AccountOptions> accounts,
    TimeProvider time) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool Registered { get; private set; }

    public IActionResult OnGet() => accounts.Value.AllowSignUp ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!accounts.Value.AllowSignUp)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await directory.CreateAsync(new NewAccount(Input.UserName, Input.Email, Input.DisplayName, Role: null), Input.Password, ct);
        if (!result.Succeeded)
        {
            AccountForm.AddErrors(ModelState, result, "Input");
            return Page();
        }

        var user = (await signIn.UserManager.FindByNameAsync(Input.UserName.Trim()))!;
        user.LastSignInAt = time.GetUtcNow();
        await signIn.UserManager.UpdateAsync(user);
        await signIn.SignInAsync(user, isPersistent: false);
        Registered = true;
        return Page();
    }

    public sealed class InputModel
    {
        [Required]
        [Display(Name = "User name")]
        public string UserName { get; set; } = "";

        [Required]
        [EmailAddress]
        [Display(Name = "E-mail")]
        public string Email { get; set; } = "";

        [Display(Name = "Display name (shown beside your decisions)")]
        public string? DisplayName { get; set; }

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
