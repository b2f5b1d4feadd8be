using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using StopSync.Web.Infrastructure;

namespace StopSync.Web.Pages.Account;

[EnableRateLimiting(AdminPolicy.SignInRateLimit)]
public sealed class LoginModel(IOptions<AdminOptions> admin, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool PasswordConfigured => !string.IsNullOrEmpty(admin.Value.Password);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!PasswordConfigured || !Matches(Input.UserName, admin.Value.UserName) || !Matches(Input.Password, admin.Value.Password!))
        {
            logger.LogWarning("Failed administrator sign-in from {RemoteIp}", HttpContext.Connection.RemoteIpAddress);
            ModelState.AddModelError(string.Empty, "Unknown user name or wrong password.");
            return Page();
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, admin.Value.UserName), new Claim(ClaimTypes.Role, AdminPolicy.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }

    // Constant-time comparison, so the answer time does not leak how much of a guess was right.
    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    public sealed class InputModel
    {
        [Required]
        [Display(Name = "User name")]
        public string UserName { get; set; } = "";

        [Required]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }
}
