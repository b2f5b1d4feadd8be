using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using StopSync.Data.Review;
using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Web.Accounts;

/// <summary>
/// Deciding through the real sign-in (Identity cookie, antiforgery token of a rendered form) on a dataset published by a
/// real pipeline run: anonymous users read, only reviewers and administrators decide.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DecisionAuthorizationTests(IntegrationFixture fixture)
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    [Fact]
    public async Task Anonymous_ReadsTheProblemsQueue_ButGets401WhenDeciding()
    {
        using var client = fixture.Factory.CreateClient(NoRedirects);
        var key = await DecidableProblemKeyAsync(0);

        var read = await client.GetAsync("/api/problems?limit=5");
        var write = await client.PostAsJsonAsync("/api/decisions", Body(key, DecisionKinds.NotAProblem));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Null(write.Headers.Location);
        Assert.False(await HasDecisionAsync(key));
    }

    [Fact]
    public async Task AccountWithoutRole_Gets403WhenDeciding_EvenWithAValidAntiforgeryToken()
    {
        using var client = await SignedInClient.CreateAsync(fixture.Factory, role: null, NoRedirects);
        var key = await DecidableProblemKeyAsync(1);

        var response = await PostAsync(client, key);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await HasDecisionAsync(key));
    }

    [Theory]
    [InlineData(AccountRoles.Reviewer, 2)]
    [InlineData(AccountRoles.Admin, 3)]
    public async Task ReviewersAndAdministrators_Decide_AndTheDecisionNamesThemByDisplayName(string role, int problem)
    {
        var account = await SignedInClient.CreateAccountAsync(fixture.Factory, role, displayName: $"Kim {role}");
        using var client = await SignedInClient.SignedInAsAsync(fixture.Factory, account.UserName, account.Password, NoRedirects);
        var key = await DecidableProblemKeyAsync(problem);

        var response = await PostAsync(client, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = fixture.CreateDbContext();
        var stored = await db.Decisions.AsNoTracking().SingleAsync(d => d.ProblemKey == key);
        Assert.Equal(account.Id, stored.DecidedById);
        Assert.Equal($"Kim {role}", stored.DecidedByName);
        Assert.Equal(DecisionStates.Decided, stored.State);

        // Withdrawn again, so that the shared published dataset stays undecided for the other tests of the collection.
        var token = await SignedInClient.FormTokenAsync(client, "/", "form[action='/account/logout']");
        using var withdraw = new HttpRequestMessage(HttpMethod.Delete, $"/api/decisions/{key}?revision={stored.Revision}");
        withdraw.Headers.Add("RequestVerificationToken", token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withdraw)).StatusCode);
    }

    [Fact]
    public async Task Reviewer_WithoutTheAntiforgeryToken_CannotDecide()
    {
        using var client = await SignedInClient.CreateAsync(fixture.Factory, AccountRoles.Reviewer, NoRedirects);
        var key = await DecidableProblemKeyAsync(4);

        var response = await client.PostAsJsonAsync("/api/decisions", Body(key, DecisionKinds.NotAProblem));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await HasDecisionAsync(key));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string key)
    {
        // Any form's token is the signed-in user's token; the layout's sign-out form is on every page.
        var token = await SignedInClient.FormTokenAsync(client, "/", "form[action='/account/logout']");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/decisions") { Content = JsonContent.Create(Body(key, DecisionKinds.NotAProblem)) };
        request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request);
    }

    private static Dictionary<string, object?> Body(string key, string kind) =>
        new() { ["problem_key"] = key, ["kind"] = kind, ["revision"] = 0, ["note"] = "checked on site" };

    // Each test takes its own problem (the n-th published key), so the tests of this class never decide the same one.
    private async Task<string> DecidableProblemKeyAsync(int n)
    {
        await using var db = fixture.CreateDbContext();
        var keys = await db.Problems.AsNoTracking().Where(p => p.ProblemKey != null)
            .OrderBy(p => p.ProblemKey).Select(p => p.ProblemKey!).Skip(n).Take(1).ToListAsync();
        Assert.True(keys.Count == 1, "the demo run must publish problems with stable keys");
        return keys[0];
    }

    private async Task<bool> HasDecisionAsync(string key)
    {
        await using var db = fixture.CreateDbContext();
        return await db.Decisions.AnyAsync(d => d.ProblemKey == key);
    }
}
