using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace StopSync.Tests.Web.Api.Decisions;

/// <summary>POST/DELETE /api/decisions and the history on real PostgreSQL: who may write, what is stored, conflicts.</summary>
public sealed class DecisionApiTests(DecisionsFixture fixture) : IClassFixture<DecisionsFixture>
{
    [Fact]
    public async Task Post_Answers401NotARedirect_WhenAnonymous()
    {
        var key = await fixture.NewProblemAsync();
        using var client = TestReviewers.Client(fixture.Factory, null, null);

        var response = await client.PostAsJsonAsync("/api/decisions", Body(key, "osm_wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal(0, await CountDecisionsAsync(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("guest")]
    public async Task Post_Answers403_WhenSignedInWithoutTheReviewerRole(string role)
    {
        var key = await fixture.NewProblemAsync();
        using var client = TestReviewers.Client(fixture.Factory, "Gustav", role);

        var response = await client.PostAsJsonAsync("/api/decisions", Body(key, "osm_wrong"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal(0, await CountDecisionsAsync(key));
    }

    [Fact]
    public async Task Post_Answers403_WhenTheAntiforgeryTokenIsMissingOrSomeoneElses()
    {
        var key = await fixture.NewProblemAsync();
        using var without = TestReviewers.Client(fixture.Factory, "Rita", "reviewer", antiforgery: false);
        using var othersTokens = TestReviewers.Client(fixture.Factory, "Mallory", "reviewer");
        othersTokens.DefaultRequestHeaders.Remove(TestReviewers.Header);
        othersTokens.DefaultRequestHeaders.Add(TestReviewers.Header, "Rita;reviewer");

        var missing = await without.PostAsJsonAsync("/api/decisions", Body(key, "osm_wrong"));
        var foreign = await othersTokens.PostAsJsonAsync("/api/decisions", Body(key, "osm_wrong"));

        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountDecisionsAsync(key));
    }

    [Fact]
    public async Task Post_AdminMayDecideToo()
    {
        var key = await fixture.NewProblemAsync();
        using var client = TestReviewers.Client(fixture.Factory, "Ada", "admin");

        var response = await client.PostAsJsonAsync("/api/decisions", Body(key, "not_a_problem"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_StoresWhoWhenEvidenceOperatorAndCanton_AndADecidedEvent()
    {
        var key = await fixture.NewProblemAsync(atlasOperator: "BLS", canton: "BE");
        using var client = fixture.Reviewer("Rita");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var response = await client.PostAsJsonAsync("/api/decisions", new Dictionary<string, object?>
        {
            ["problem_key"] = key, ["kind"] = "atlas_wrong", ["note"] = "  ATLAS number is a typo  ",
            ["chosen_values"] = new Dictionary<string, string> { ["uic_ref"] = "8503000" }, ["revision"] = 0,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var decision = json.RootElement.GetProperty("decision");
        Assert.Equal(key, decision.GetProperty("problem_key").GetString());
        Assert.Equal("attributes", decision.GetProperty("problem_type").GetString());
        Assert.Equal("atlas_wrong", decision.GetProperty("kind").GetString());
        Assert.Equal("ATLAS number is a typo", decision.GetProperty("note").GetString());
        Assert.Equal("8503000", decision.GetProperty("chosen_values").GetProperty("uic_ref").GetString());
        Assert.Equal("decided", decision.GetProperty("state").GetString());
        Assert.Equal("Rita", decision.GetProperty("decided_by").GetString());
        Assert.Equal(1, decision.GetProperty("revision").GetInt32());
        Assert.True(decision.GetProperty("decided_at").GetDateTimeOffset() >= before);

        Assert.Equal("id-Rita", await fixture.ScalarAsync<string>("SELECT decided_by_id FROM review.decisions WHERE problem_key = $1", key));
        Assert.Equal("BLS", await fixture.ScalarAsync<string>("SELECT atlas_operator FROM review.decisions WHERE problem_key = $1", key));
        Assert.Equal("BE", await fixture.ScalarAsync<string>("SELECT canton FROM review.decisions WHERE problem_key = $1", key));
        Assert.True(await fixture.ScalarAsync<bool>(
            "SELECT d.evidence = p.evidence FROM review.decisions d JOIN problems p ON p.problem_key = d.problem_key WHERE d.problem_key = $1", key));
        Assert.Equal(["ch:1:sloid:1"], (await fixture.ScalarAsync<string[]>("SELECT sloids FROM review.decisions WHERE problem_key = $1", key))!);
        Assert.Equal(["101"], (await fixture.ScalarAsync<string[]>("SELECT osm_ids FROM review.decisions WHERE problem_key = $1", key))!);
        Assert.Equal("decided:Rita:atlas_wrong", await fixture.ScalarAsync<string>(
            "SELECT action || ':' || account_name || ':' || kind FROM review.decision_events WHERE problem_key = $1", key));
    }

    [Fact]
    public async Task Post_StoresTheDuplicateGroupAsTheProblemsSloids()
    {
        var key = await fixture.NewProblemAsync("duplicates", "ch:1:sloid:5", "105",
            """{"side":"atlas","members":["ch:1:sloid:7","ch:1:sloid:5"]}""");
        using var client = fixture.Reviewer();

        var response = await client.PostAsJsonAsync("/api/decisions", Body(key, "atlas_wrong"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["ch:1:sloid:5", "ch:1:sloid:7"], (await fixture.ScalarAsync<string[]>("SELECT sloids FROM review.decisions WHERE problem_key = $1", key))!);
        Assert.Equal(["105"], (await fixture.ScalarAsync<string[]>("SELECT osm_ids FROM review.decisions WHERE problem_key = $1", key))!);
    }

    [Fact]
    public async Task Post_WithTheSeenRevision_ChangesTheDecision_ToTheNextRevision_WithAChangedEvent()
    {
        var key = await fixture.NewProblemAsync();
        using var rita = fixture.Reviewer("Rita");
        using var otto = fixture.Reviewer("Otto");
        await DecideAsync(rita, key, "osm_wrong", 0);

        var response = await otto.PostAsJsonAsync("/api/decisions", Body(key, "not_a_problem", revision: 1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetProperty("decision").GetProperty("revision").GetInt32());
        Assert.Equal("Otto", json.RootElement.GetProperty("decision").GetProperty("decided_by").GetString());
        Assert.Equal("not_a_problem", await fixture.ScalarAsync<string>("SELECT kind FROM review.decisions WHERE problem_key = $1", key));
        Assert.Equal("changed", await fixture.ScalarAsync<string>(
            "SELECT action FROM review.decision_events WHERE problem_key = $1 ORDER BY id DESC LIMIT 1", key));
    }

    [Fact]
    public async Task Post_ReDecidingANeedsAnotherLookDecision_TakesTheCurrentEvidence_AndIsDecidedAgain()
    {
        var key = await fixture.NewProblemAsync();
        using var client = fixture.Reviewer();
        await DecideAsync(client, key, "osm_wrong", 0);
        await fixture.ExecuteAsync("""
            UPDATE review.decisions SET state = 'needs_another_look', evidence = '{"differences":[]}', current_evidence = p.evidence, state_run_id = 'run-2'
            FROM problems p WHERE p.problem_key = decisions.problem_key AND decisions.problem_key = $1
            """, key);

        var response = await client.PostAsJsonAsync("/api/decisions", Body(key, "osm_wrong", revision: 1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("decided", await fixture.ScalarAsync<string>("SELECT state FROM review.decisions WHERE problem_key = $1", key));
        Assert.True(await fixture.ScalarAsync<bool>(
            "SELECT d.evidence = p.evidence AND d.current_evidence IS NULL AND d.state_run_id IS NULL FROM review.decisions d JOIN problems p ON p.problem_key = d.problem_key WHERE d.problem_key = $1", key));
    }

    [Fact]
    public async Task Post_WithAStaleRevision_Answers409WithTheCurrentDecision_AndKeepsTheInputAsConflictRefused()
    {
        var key = await fixture.NewProblemAsync();
        using var rita = fixture.Reviewer("Rita");
        using var otto = fixture.Reviewer("Otto");
        await DecideAsync(rita, key, "osm_wrong", 0);

        var response = await otto.PostAsJsonAsync("/api/decisions", Body(key, "atlas_wrong", revision: 0, note: "I think ATLAS is wrong"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Someone else decided this problem meanwhile", json.RootElement.GetProperty("title").GetString());
        Assert.Contains("Rita", json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("osm_wrong", json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var current = json.RootElement.GetProperty("current");
        Assert.Equal("osm_wrong", current.GetProperty("kind").GetString());
        Assert.Equal(1, current.GetProperty("revision").GetInt32());
        Assert.Equal("Rita", current.GetProperty("decided_by").GetString());
        Assert.Equal("osm_wrong", await fixture.ScalarAsync<string>("SELECT kind FROM review.decisions WHERE problem_key = $1", key));
        Assert.Equal("conflict_refused:Otto:atlas_wrong:I think ATLAS is wrong", await fixture.ScalarAsync<string>(
            "SELECT action || ':' || account_name || ':' || kind || ':' || note FROM review.decision_events WHERE problem_key = $1 ORDER BY id DESC LIMIT 1", key));
    }

    [Fact]
    public async Task Post_Answers409WithNoCurrentDecision_WhenTheDecisionSeenWasWithdrawnMeanwhile()
    {
        var key = await fixture.NewProblemAsync();
        using var rita = fixture.Reviewer("Rita");
        using var otto = fixture.Reviewer("Otto");
        await DecideAsync(rita, key, "osm_wrong", 0);
        Assert.Equal(HttpStatusCode.OK, (await rita.DeleteAsync($"/api/decisions/{key}?revision=1")).StatusCode);

        var response = await otto.PostAsJsonAsync("/api/decisions", Body(key, "atlas_wrong", revision: 1));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("current").ValueKind);
        Assert.Contains("withdrawn", json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountDecisionsAsync(key));
        Assert.Equal("conflict_refused:Otto", await fixture.ScalarAsync<string>(
            "SELECT action || ':' || account_name FROM review.decision_events WHERE problem_key = $1 ORDER BY id DESC LIMIT 1", key));
    }

    [Fact]
    public async Task Post_TwoReviewersAtOnceWithRevisionZero_ExactlyOneWins_TheOtherGets409_NothingLost()
    {
        using var rita = fixture.Reviewer("Rita");
        using var otto = fixture.Reviewer("Otto");
        for (var round = 0; round < 8; round++)
        {
            var key = await fixture.NewProblemAsync();

            var responses = await Task.WhenAll(
                Task.Run(() => rita.PostAsJsonAsync("/api/decisions", Body(key, "osm_wrong"))),
                Task.Run(() => otto.PostAsJsonAsync("/api/decisions", Body(key, "atlas_wrong"))));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            Assert.Equal(1, await CountDecisionsAsync(key));
            Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM review.decision_events WHERE problem_key = $1 AND action = 'decided'", key));
            Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM review.decision_events WHERE problem_key = $1 AND action = 'conflict_refused'", key));
            var winner = responses[0].StatusCode == HttpStatusCode.OK ? "osm_wrong" : "atlas_wrong";
            Assert.Equal(winner, await fixture.ScalarAsync<string>("SELECT kind FROM review.decisions WHERE problem_key = $1", key));
            Assert.Equal(1, await fixture.ScalarAsync<int>("SELECT revision FROM review.decisions WHERE problem_key = $1", key));
        }
    }

    [Fact]
    public async Task Post_TwoReviewersChangingTheSameRevisionAtOnce_ExactlyOneWins()
    {
        using var rita = fixture.Reviewer("Rita");
        using var otto = fixture.Reviewer("Otto");
        for (var round = 0; round < 5; round++)
        {
            var key = await fixture.NewProblemAsync();
            await DecideAsync(rita, key, "not_a_problem", 0);

            var responses = await Task.WhenAll(
                Task.Run(() => rita.PostAsJsonAsync("/api/decisions", Body(key, "osm_wrong", revision: 1))),
                Task.Run(() => otto.PostAsJsonAsync("/api/decisions", Body(key, "atlas_wrong", revision: 1))));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            Assert.Equal(2, await fixture.ScalarAsync<int>("SELECT revision FROM review.decisions WHERE problem_key = $1", key));
        }
    }

    [Fact]
    public async Task Delete_WithdrawsTheDecision_WithAWithdrawnEvent_AndTheProblemIsOpenAgain()
    {
        var key = await fixture.NewProblemAsync();
        using var client = fixture.Reviewer();
        await DecideAsync(client, key, "osm_wrong", 0);

        var response = await client.DeleteAsync($"/api/decisions/{key}?revision=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await CountDecisionsAsync(key));
        Assert.Equal("withdrawn", await fixture.ScalarAsync<string>(
            "SELECT action FROM review.decision_events WHERE problem_key = $1 ORDER BY id DESC LIMIT 1", key));
        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/problems?limit=1000"));
        var item = list.RootElement.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("problem_key").GetString() == key);
        Assert.Equal("open", item.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Delete_WithAStaleRevision_Answers409_AndKeepsTheDecision()
    {
        var key = await fixture.NewProblemAsync();
        using var client = fixture.Reviewer();
        await DecideAsync(client, key, "osm_wrong", 0);
        await DecideAsync(client, key, "atlas_wrong", 1);

        var response = await client.DeleteAsync($"/api/decisions/{key}?revision=1");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(1, await CountDecisionsAsync(key));
        Assert.Equal("conflict_refused", await fixture.ScalarAsync<string>(
            "SELECT action FROM review.decision_events WHERE problem_key = $1 ORDER BY id DESC LIMIT 1", key));
    }

    [Theory]
    [InlineData("", "revision")]
    [InlineData("?revision=x", "revision")]
    [InlineData("?revision=0", "revision")]
    public async Task Delete_Answers400_WhenTheRevisionIsMissingOrBad(string query, string parameter)
    {
        var key = await fixture.NewProblemAsync();
        using var client = fixture.Reviewer();
        await DecideAsync(client, key, "osm_wrong", 0);

        var response = await client.DeleteAsync($"/api/decisions/{key}{query}");

        await AssertInvalidAsync(response, parameter);
        Assert.Equal(1, await CountDecisionsAsync(key));
    }

    [Fact]
    public async Task Delete_Answers404_WhenNothingIsDecided_AndRequiresAReviewer()
    {
        var key = await fixture.NewProblemAsync();
        using var client = fixture.Reviewer();
        using var anonymous = TestReviewers.Client(fixture.Factory, null, null);

        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/decisions/{key}?revision=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/decisions/{key}?revision=1")).StatusCode);
    }

    [Fact]
    public async Task History_ListsEveryWriteNewestFirst_ForAnyone()
    {
        var key = await fixture.NewProblemAsync();
        using var rita = fixture.Reviewer("Rita");
        using var otto = fixture.Reviewer("Otto");
        await DecideAsync(rita, key, "osm_wrong", 0);
        await DecideAsync(otto, key, "not_a_problem", 1);
        Assert.Equal(HttpStatusCode.Conflict, (await rita.PostAsJsonAsync("/api/decisions", Body(key, "atlas_wrong", revision: 1))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otto.DeleteAsync($"/api/decisions/{key}?revision=2")).StatusCode);
        using var anonymous = TestReviewers.Client(fixture.Factory, null, null);

        using var json = JsonDocument.Parse(await anonymous.GetStringAsync($"/api/decisions/{key}/history"));

        var events = json.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["withdrawn", "conflict_refused", "changed", "decided"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["Otto", "Rita", "Otto", "Rita"], events.Select(e => e.GetProperty("account_name").GetString()));
        Assert.Equal("atlas_wrong", events[1].GetProperty("kind").GetString());
        Assert.Equal("decided", events[3].GetProperty("state").GetString());
        Assert.Equal("uic_ref", events[3].GetProperty("evidence").GetProperty("differences")[0].GetProperty("attribute").GetString());
        Assert.True(events[0].GetProperty("at").GetDateTimeOffset() >= events[3].GetProperty("at").GetDateTimeOffset());
        Assert.False(events[0].TryGetProperty("account_id", out _));
    }

    [Fact]
    public async Task History_IsEmptyForAnUndecidedProblem_And404ForAnUnknownKey()
    {
        var key = await fixture.NewProblemAsync();
        using var client = TestReviewers.Client(fixture.Factory, null, null);

        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/decisions/{key}/history"));
        var unknown = await client.GetAsync("/api/decisions/no-such-key/history");

        Assert.Empty(json.RootElement.GetProperty("events").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Post_Answers404_WhenTheProblemKeyIsNotPublished()
    {
        using var client = fixture.Reviewer();

        var response = await client.PostAsJsonAsync("/api/decisions", Body("no-such-key", "osm_wrong"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await CountDecisionsAsync("no-such-key"));
    }

    [Theory]
    [InlineData("""{"kind":"osm_wrong","revision":0}""", "problem_key")]
    [InlineData("""{"problem_key":"KEY","revision":0}""", "kind")]
    [InlineData("""{"problem_key":"KEY","kind":"delete_it","revision":0}""", "kind")]
    [InlineData("""{"problem_key":"KEY","kind":"osm_wrong"}""", "revision")]
    [InlineData("""{"problem_key":"KEY","kind":"osm_wrong","revision":-1}""", "revision")]
    [InlineData("""{"problem_key":"KEY","kind":"osm_wrong","revision":"one"}""", "revision")]
    [InlineData("""{"problem_key":"KEY","kind":"osm_wrong","revision":0,"note":"NOTE"}""", "note")]
    [InlineData("""{"problem_key":"KEY","kind":"not_a_problem","revision":0,"chosen_values":{"uic_ref":"1"}}""", "chosen_values")]
    [InlineData("""{"problem_key":"KEY","kind":"osm_wrong","revision":0,"chosen_values":{"name":"x"}}""", "chosen_values")]
    [InlineData("""{"problem_key":"KEY","kind":"osm_wrong","revision":0,"chosen_values":{"uic_ref":3}}""", "chosen_values")]
    [InlineData("""{"problem_key":"KEY","kind":"osm_wrong","revision":0,"chosen_values":["uic_ref"]}""", "chosen_values")]
    [InlineData("""{"problem_key":"KEY","kind":"osm_wrong","revision":0,"chosen_values":{"uic_ref":"LONG"}}""", "chosen_values")]
    [InlineData("""{"problem_key":"KEY","kind":"osm_wrong","revision":0,"pair_osm_id":"900"}""", "pair_osm_id")]
    [InlineData("""{"problem_key":"KEY","kind":"not_a_problem","revision":0,"pair_sloid":"ch:1:sloid:900"}""", "pair_sloid")]
    [InlineData("""{"problem_key":"KEY","kind":"not_same_stop","revision":0,"pair_osm_id":"900"}""", "pair_osm_id")]
    [InlineData("""{"problem_key":"KEY","kind":"same_stop","revision":0}""", "pair_osm_id")]
    [InlineData("""{"problem_key":"KEY","kind":"same_stop","revision":0,"pair_osm_id":"900","pair_sloid":"ch:1:sloid:900"}""", "pair_osm_id")]
    [InlineData("""{"problem_key":"KEY","kind":"same_stop","revision":0,"pair_osm_id":"not an id"}""", "pair_osm_id")]
    [InlineData("""{"problem_key":"KEY","kind":"same_stop","revision":0,"pair_osm_id":"77777"}""", "pair_osm_id")]
    [InlineData("""not json""", "body")]
    public async Task Post_Answers400NamingTheField_WhenTheBodyIsInvalid(string body, string field)
    {
        var key = await fixture.NewProblemAsync();
        using var client = fixture.Reviewer();
        var json = body.Replace("KEY", key, StringComparison.Ordinal).Replace("NOTE", new string('n', 4001), StringComparison.Ordinal)
            .Replace("LONG", new string('1', 256), StringComparison.Ordinal);

        var response = await client.PostAsync("/api/decisions", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await AssertInvalidAsync(response, field);
        Assert.Equal(0, await CountDecisionsAsync(key));
    }

    [Fact]
    public async Task Post_SameStop_OnAnAtlasProblem_NeedsAnOsmCounterpart_AndStoresThePair()
    {
        var key = await fixture.NewProblemAsync("unmatched", "ch:1:sloid:2", null, """{"side":"atlas","isolated":false}""");
        using var client = fixture.Reviewer();

        var missing = await client.PostAsJsonAsync("/api/decisions", Body(key, "same_stop"));
        var stored = await client.PostAsJsonAsync("/api/decisions", new { problem_key = key, kind = "same_stop", pair_osm_id = "node/900", revision = 0 });

        await AssertInvalidAsync(missing, "pair_osm_id");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        using var json = JsonDocument.Parse(await stored.Content.ReadAsStringAsync());
        Assert.Equal("ch:1:sloid:2", json.RootElement.GetProperty("decision").GetProperty("pair_sloid").GetString());
        Assert.Equal("900", json.RootElement.GetProperty("decision").GetProperty("pair_osm_id").GetString());
    }

    [Fact]
    public async Task Post_SameStop_OnAnOsmProblem_NeedsAnAtlasCounterpartThatIsPublished()
    {
        var key = await fixture.NewProblemAsync("unmatched", null, "103", """{"side":"osm","isolated":true}""");
        using var client = fixture.Reviewer();

        var missing = await client.PostAsJsonAsync("/api/decisions", new { problem_key = key, kind = "same_stop", pair_osm_id = "900", revision = 0 });
        var unknown = await client.PostAsJsonAsync("/api/decisions", new { problem_key = key, kind = "same_stop", pair_sloid = "ch:1:sloid:404", revision = 0 });
        var stored = await client.PostAsJsonAsync("/api/decisions", new { problem_key = key, kind = "same_stop", pair_sloid = "ch:1:sloid:900", revision = 0 });

        await AssertInvalidAsync(missing, "pair_sloid");
        await AssertInvalidAsync(unknown, "pair_sloid");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("ch:1:sloid:900|103", await fixture.ScalarAsync<string>(
            "SELECT pair_sloid || '|' || pair_osm_id FROM review.decisions WHERE problem_key = $1", key));
    }

    [Fact]
    public async Task Post_NotSameStop_NeedsBothSides_AndTakesThePairFromTheProblem()
    {
        var single = await fixture.NewProblemAsync("unmatched", "ch:1:sloid:2", null, """{"side":"atlas","isolated":true}""");
        var matched = await fixture.NewProblemAsync("distance", "ch:1:sloid:4", "104", """{"distance_bucket":"80-150"}""");
        using var client = fixture.Reviewer();

        var refused = await client.PostAsJsonAsync("/api/decisions", Body(single, "not_same_stop"));
        var stored = await client.PostAsJsonAsync("/api/decisions", Body(matched, "not_same_stop"));

        await AssertInvalidAsync(refused, "kind");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("ch:1:sloid:4|104", await fixture.ScalarAsync<string>(
            "SELECT pair_sloid || '|' || pair_osm_id FROM review.decisions WHERE problem_key = $1", matched));
    }

    [Fact]
    public async Task Problems_ShowTheNewDecision_AndStatsCountItAsSolved()
    {
        using var client = fixture.Reviewer();
        using var before = JsonDocument.Parse(await client.GetStringAsync("/api/problems/stats?canton=ZH"));
        var key = await fixture.NewProblemAsync(canton: "ZH");
        await DecideAsync(client, key, "osm_wrong", 0);

        using var after = JsonDocument.Parse(await client.GetStringAsync("/api/problems/stats?canton=ZH"));
        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/problems?state=decided&limit=1000"));

        Assert.Equal(before.RootElement.GetProperty("attributes").GetProperty("solved").GetInt64() + 1,
            after.RootElement.GetProperty("attributes").GetProperty("solved").GetInt64());
        var item = list.RootElement.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("problem_key").GetString() == key);
        Assert.Equal("osm_wrong", item.GetProperty("solution").GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesTheProblemAndDecisionEndpoints()
    {
        using var client = TestReviewers.Client(fixture.Factory, null, null);

        using var json = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var paths = json.RootElement.GetProperty("paths");
        var parameters = paths.GetProperty("/api/problems").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["atlas_operator", "canton", "limit", "page", "priority", "problem_type", "sort_by", "sort_order", "state"], parameters.Order());
        Assert.True(paths.TryGetProperty("/api/problems/stats", out _));
        Assert.True(paths.GetProperty("/api/decisions").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/decisions/{problem_key}").TryGetProperty("delete", out _));
        Assert.True(paths.TryGetProperty("/api/decisions/{problem_key}/history", out _));
    }

    private static object Body(string key, string kind, int revision = 0, string? note = null) =>
        new { problem_key = key, kind, note, revision };

    private static async Task DecideAsync(HttpClient client, string key, string kind, int revision)
    {
        var response = await client.PostAsJsonAsync("/api/decisions", Body(key, kind, revision));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<long> CountDecisionsAsync(string key) =>
        fixture.ScalarAsync<long>("SELECT count(*) FROM review.decisions WHERE problem_key = $1", key);

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(field, json.RootElement.GetProperty("parameter").GetString());
        Assert.Contains(field, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
