using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StopSync.Data.Review;

public static class AccountStoreExtensions
{
    /// <summary>The accounts in the review schema, with the rules both the site and the jobs CLI apply.</summary>
    public static IdentityBuilder AddStopSyncAccountStore(this IdentityBuilder builder)
    {
        builder.AddEntityFrameworkStores<StopSyncDbContext>().AddUserValidator<AccountEmailValidator>();
        builder.Services.AddScoped<AccountDirectory>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
