using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using StopSync.Data.Review;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Pages;

/// <summary>The server-rendered frame of /problems: query validation, the decision controls per visitor, the token.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class ProblemsPageTests(IntegrationFixture fixture)
{
    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=1.5", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=1&page=2", "page")]
    [InlineData("priority=4", "priority")]
    [InlineData("priority=1,,2", "priority")]
    [InlineData("problem_type=bogus", "problem_type")]
    [InlineData("state=closed", "state")]
    [InlineData("canton=XX", "canton")]
    [InlineData("sort_by=name", "sort_by")]
    [InlineData("sort_order=up", "sort_order")]
    [InlineData("stop=", "stop")]
    public async Task ProblemsPage_Answers400NamingTheParameter_ForAMalformedValue(string query, string parameter)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/problems?" + query);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith($"{parameter} must ", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?problem_type=attributes,distance&priority=1,2&canton=zh,BE&state=open,needs_another_look&sort_by=distance&sort_order=desc&page=3&stop=ch:1:sloid:7000:1")]
    [InlineData("?problem_type=all&atlas_operator=SBB,BLS&stop=node/123")]
    [InlineData("?problem_type=isolated&page=99999999999999999999")]
    [InlineData("?type=distance&unknown=1")]
    public async Task ProblemsPage_Renders_ForEveryWellFormedQuery_AndIgnoresUnknownParameters(string query)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/problems" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"problemsPage\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProblemsPage_ShowsDisabledDecisionControlsAndASignInLinkBackToTheQueue_ForAnonymousVisitors()
    {
        using var client = fixture.Factory.CreateClient();

        var document = new HtmlParser().ParseDocument(await client.GetStringAsync("/problems?priority=1&stop=node/5"));

        Assert.Equal("false", document.GetElementById("problemsPage")!.GetAttribute("data-can-decide"));
        Assert.True(document.GetElementById("decisionControls")!.HasAttribute("disabled"));
        Assert.Equal(4, document.QuerySelectorAll("#decisionControls button[data-kind]").Length);
        Assert.Equal("/account/login?returnUrl=%2Fproblems%3Fpriority%3D1%26stop%3Dnode%2F5", document.GetElementById("signInLink")!.GetAttribute("href"));
        Assert.Contains("Sign in to record decisions", document.GetElementById("signInLink")!.TextContent, StringComparison.Ordinal);
        // The queue itself stays readable: the module that loads it is on the page for everyone.
        Assert.NotNull(document.QuerySelector("script[type=module][src^='/js/problems/main']"));
        Assert.Empty(document.QuerySelectorAll("script:not([src]):not([type='application/json'])"));
    }

    [Fact]
    public async Task ProblemsPage_EnablesDecisionControlsAndCarriesAnAntiforgeryToken_ForAReviewer()
    {
        var (name, password) = await CreateReviewerAsync(fixture.Factory);
        using var client = fixture.Factory.CreateClient();
        await DashboardAuthorizationTests.SignInAsync(client, name, password);

        var document = new HtmlParser().ParseDocument(await client.GetStringAsync("/problems"));

        Assert.Equal("true", document.GetElementById("problemsPage")!.GetAttribute("data-can-decide"));
        Assert.False(document.GetElementById("decisionControls")!.HasAttribute("disabled"));
        Assert.Null(document.GetElementById("signInLink"));
        Assert.False(string.IsNullOrEmpty(document.QuerySelector("meta[name=request-verification-token]")?.GetAttribute("content")));
    }

    /// <summary>A new account with the reviewer role; its name is unique, so tests never share one.</summary>
    internal static async Task<(string Name, string Password)> CreateReviewerAsync(StopSyncAppFactory factory)
    {
        var name = $"reviewer-{Guid.NewGuid():N}"[..20];
        const string password = "page-test-password-1";
        using var scope = factory.Services.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<AccountDirectory>()
            .CreateAsync(new NewAccount(name, null, "Page Reviewer", AccountRoles.Reviewer), password, CancellationToken.None);
        Assert.True(created.Succeeded, AccountDirectory.Describe(created));
        return (name, password);
    }
}
