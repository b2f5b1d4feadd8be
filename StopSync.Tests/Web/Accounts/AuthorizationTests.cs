using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data.Review;
using StopSync.Data.Status;
using StopSync.Tests.Infrastructure;
using StopSync.Web.Accounts;
using StopSync.Web.Infrastructure;

namespace StopSync.Tests.Web.Accounts;

/// <summary>Who may do what: anyone reads, the admin gate is the admin role, the API answers 401/403 and never redirects.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class AuthorizationTests(IntegrationFixture fixture)
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    [Theory]
    [InlineData("/")]
    [InlineData("/problems")]
    [InlineData("/data/analytics")]
    [InlineData("/docs")]
    [InlineData("/api/global_stats")]
    [InlineData("/api/stops?bbox=8.50,47.35,8.58,47.40")]
    [InlineData("/api/system/pipeline_status")]
    public async Task Anonymous_ReadsThePublicPagesAndApi(string url)
    {
        using var client = fixture.Factory.CreateClient(NoRedirects);

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/admin/accounts")]
    [InlineData("/hangfire")]
    public async Task Anonymous_IsSentToSignIn_ForAdministratorPages(string url)
    {
        using var client = fixture.Factory.CreateClient(NoRedirects);

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?ReturnUrl=", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Anonymous_Gets401FromTheApi_NotARedirectToTheSignInPage()
    {
        using var client = fixture.Factory.CreateClient(NoRedirects);

        var get = await client.GetAsync("/api/account");

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Null(get.Headers.Location);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(AccountRoles.Reviewer)]
    [InlineData(null)]
    public async Task NonAdministrators_Get403_OnTheDashboardTheAccountsPageRunNowAndTheMaintenanceSwitch(string? role)
    {
        using var client = await SignedInClient.CreateAsync(fixture.Factory, role, NoRedirects);
        var token = await SignedInClient.FormTokenAsync(client, "/data/analytics");

        var dashboard = await client.GetAsync("/hangfire");
        var accounts = await client.GetAsync("/admin/accounts");
        var runNow = await client.PostAsync("/data/analytics?handler=Run", Form(("__RequestVerificationToken", token)));
        var maintenance = await client.PostAsync("/data/analytics?handler=Maintenance", Form(("blocking", "true"), ("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, accounts.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, runNow.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, maintenance.StatusCode);
        Assert.False((await fixture.Factory.Services.GetRequiredService<PipelineStatusStore>().ReadAsync()).BlockingMaintenance);
    }

    [Fact]
    public async Task Administrator_GetsThrough_ToTheDashboardAndTheAccountsPage()
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, AccountRoles.Admin);
        using var client = await SignedInClient.SignedInAsAsync(fixture.Factory, account.UserName, account.Password, NoRedirects);

        var dashboard = await client.GetAsync("/hangfire");
        var accounts = await client.GetAsync("/admin/accounts");

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accounts.StatusCode);
        Assert.Contains(account.UserName, await accounts.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AccountRoles.Reviewer, true, false)]
    [InlineData(AccountRoles.Admin, true, true)]
    [InlineData(null, false, false)]
    public async Task Policies_FollowTheRoleOfTheSignedInAccount(string? role, bool reviewer, bool admin)
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, role);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<UserAccount>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<UserAccount>>()
            .CreateAsync((await users.FindByIdAsync(account.Id))!);
        var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();

        Assert.Equal(reviewer, (await authorization.AuthorizeAsync(principal, AccountPolicies.Reviewer)).Succeeded);
        Assert.Equal(admin, (await authorization.AuthorizeAsync(principal, AdminPolicy.Name)).Succeeded);
    }

    [Fact]
    public async Task CurrentAccount_SaysWhetherTheAccountMayDecide()
    {
        using var reviewer = await SignedInClient.CreateAsync(fixture.Factory, AccountRoles.Reviewer);
        using var admin = await SignedInClient.CreateAsync(fixture.Factory, AccountRoles.Admin);
        using var none = await SignedInClient.CreateAsync(fixture.Factory, null);

        Assert.Contains("\"can_decide\":true", await reviewer.GetStringAsync("/api/account"), StringComparison.Ordinal);
        Assert.Contains("\"can_decide\":true", await admin.GetStringAsync("/api/account"), StringComparison.Ordinal);
        Assert.Contains("\"can_decide\":false", await none.GetStringAsync("/api/account"), StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}
