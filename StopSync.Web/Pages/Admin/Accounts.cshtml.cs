using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StopSync.Data.Review;
using StopSync.Web.Accounts;
using StopSync.Web.Infrastructure;
using StopSync.Web.Pages.Account;

namespace StopSync.Web.Pages.Admin;

/// <summary>Account administration for the admin role (docs/09-review.md, "Accounts").</summary>
[Authorize(Policy = AdminPolicy.Name)]
public sealed class AccountsModel(AccountDirectory directory, UserManager<UserAccount> users) : PageModel
{
    /// <summary>The form's value for "no role": the account may sign in and read, nothing more.</summary>
    public const string NoRole = "none";

    public IReadOnlyList<AccountSummary> Accounts { get; private set; } = [];

    [BindProperty]
    public NewAccountInput Input { get; set; } = new();

    /// <summary>Shown once, in the answer to the POST that made it; never stored.</summary>
    public InviteLinkView? Invite { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? CurrentUserId => User.FindFirstValue(ClaimTypes.NameIdentifier);

    public async Task OnGetAsync(CancellationToken ct) => Accounts = await directory.ListAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!AccountRoles.All.Contains(Input.Role))
        {
            ModelState.AddModelError("Input.Role", AccountDirectory.UnknownRole(Input.Role).Description);
        }

        if (ModelState.IsValid)
        {
            var result = await directory.CreateAsync(new NewAccount(Input.UserName, Input.Email, Input.DisplayName, Input.Role), password: null, ct);
            if (result.Succeeded)
            {
                var user = (await users.FindByNameAsync(Input.UserName.Trim()))!;
                Invite = new InviteLinkView(user.UserName!, await InviteLinkAsync(user));
                ModelState.Clear();
                Input = new NewAccountInput();
            }
            else
            {
                AccountForm.AddErrors(ModelState, result, "Input");
            }
        }

        Accounts = await directory.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostInviteAsync(string id, CancellationToken ct)
    {
        ModelState.Clear();
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return NotFound();
        }

        // A new stamp first: the earlier link of this account stops working (and its sessions end).
        await users.UpdateSecurityStampAsync(user);
        Invite = new InviteLinkView(user.UserName!, await InviteLinkAsync(user));
        Accounts = await directory.ListAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostRoleAsync(string id, string role, CancellationToken ct) =>
        ChangeAsync(id, user => directory.SetRoleAsync(user, role == NoRole ? null : role, ct),
            user => role == NoRole ? $"{user.UserName} now has no role." : $"{user.UserName} is now {role}.");

    public Task<IActionResult> OnPostLockAsync(string id) =>
        ChangeAsync(id, directory.LockAsync, user => $"{user.UserName} is locked.");

    public Task<IActionResult> OnPostUnlockAsync(string id) =>
        ChangeAsync(id, directory.UnlockAsync, user => $"{user.UserName} is unlocked.");

    private async Task<IActionResult> ChangeAsync(string id, Func<UserAccount, Task<IdentityResult>> change, Func<UserAccount, string> done)
    {
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return NotFound();
        }

        // Guards against the one mistake the page cannot undo itself: an administrator taking their own rights away.
        if (user.Id == CurrentUserId)
        {
            Notice = "Your own role and lock are changed by another administrator (or with the jobs CLI), not here.";
            return RedirectToPage();
        }

        var result = await change(user);
        Notice = result.Succeeded ? done(user) : AccountDirectory.Describe(result);
        return RedirectToPage();
    }

    private async Task<string> InviteLinkAsync(UserAccount user) =>
        InviteModel.Link(Request, user.Id, await users.GeneratePasswordResetTokenAsync(user));

    public sealed record InviteLinkView(string UserName, string Link);

    public sealed class NewAccountInput
    {
        [Required]
        [Display(Name = "User name")]
        public string UserName { get; set; } = "";

        [Required]
        [EmailAddress]
        [Display(Name = "E-mail")]
        public string Email { get; set; } = "";

        [Display(Name = "Display name")]
        public string? DisplayName { get; set; }

        [Required]
        public string Role { get; set; } = AccountRoles.Reviewer;
    }
}
