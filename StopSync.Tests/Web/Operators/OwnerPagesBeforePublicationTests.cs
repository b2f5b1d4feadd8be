using System.Net;
using AngleSharp.Html.Parser;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Runs;

namespace StopSync.Tests.Web.Operators;

/// <summary>The owner pages on a migrated database that has never published: an explanation, never an error.</summary>
public sealed class OwnerPagesBeforePublicationTests
{
    [Fact]
    public async Task OwnerPages_Answer200WithAnExplanation_BeforeTheFirstPublication()
    {
        await using var database = await HeldRunFixture.CreateMigratedDatabaseAsync();
        var prefix = $"stopsync-test:{Guid.NewGuid():N}:";
        try
        {
            await using var factory = new StopSyncAppFactory(StopSyncAppFactory.DefaultSettings(database.ConnectionString, prefix));
            using var client = factory.CreateClient();
            foreach (var url in new[] { "/operators", "/cantons", "/operators/SBB", "/cantons/ZH" })
            {
                var response = await client.GetAsync(url);
                var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
                Assert.NotNull(document.QuerySelector("[data-owner-empty]"));
            }
        }
        finally
        {
            await IntegrationFixture.DeleteRedisKeysAsync(prefix);
        }
    }
}
