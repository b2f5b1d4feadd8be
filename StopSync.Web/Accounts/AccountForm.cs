using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using StopSync.Data.Review;

namespace StopSync.Web.Accounts;

/// <summary>Identity's messages on the form field they are about.</summary>
public static class AccountForm
{
    public static void AddErrors(ModelStateDictionary modelState, IdentityResult result, string prefix)
    {
        foreach (var error in result.Errors)
        {
            var field = AccountDirectory.ParameterOf(error) switch
            {
                "user" => "UserName",
                "email" => "Email",
                "password" => "Password",
                "role" => "Role",
                _ => null,
            };
            modelState.AddModelError(field is null ? string.Empty : $"{prefix}.{field}", error.Description);
        }
    }
}
