using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Data;
using StopSync.Data.Entities;
using StopSync.Jobs.Bundles;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Tests.Infrastructure;
using StopSync.Tests.Jobs.Runs;

namespace StopSync.Tests.Jobs.History;

/// <summary>
/// A migrated database of its own (these tests publish again, age publications and break one) with the demo dataset
/// published by a real pipeline run.
/// </summary>
public sealed class StatisticsFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("stopsync-statistics-").FullName;
    public string HangfirePrefix { get; } = $"stopsync-test:{Guid.NewGuid():N}:";
    public string ConnectionString => _database!.ConnectionString;
    public string AtlasPath => Path.Combine(Directory, SourceFileNames.Atlas);
    public string OsmPath => Path.Combine(Directory, SourceFileNames.Osm);
    public string GtfsPath => Path.Combine(Directory, SourceFileNames.Gtfs);
    public string BundlesDirectory => Path.Combine(Directory, "bundles");
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await HeldRunFixture.CreateMigratedDatabaseAsync();
        DataSource = DataServiceCollectionExtensions.CreateDataSource(ConnectionString);
        DatasetGenerator.Generate(Directory);
        await RunAsync(OsmPath);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await IntegrationFixture.DeleteRedisKeysAsync(HangfirePrefix);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>A full pipeline run (check, read, match, publish) on the demo ATLAS and GTFS files and <paramref name="osmPath"/>.</summary>
    public async Task<PipelineRun> RunAsync(string osmPath)
    {
        await using var services = PipelineServices.Create(ConnectionString, AtlasPath, osmPath, GtfsPath, HangfirePrefix + "pipeline:");
        await using var scope = services.CreateAsyncScope();
        var run = await scope.ServiceProvider.GetRequiredService<PipelineRunner>().RunAsync(PipelineTrigger.Manual, PipelineMode.Full, null, CancellationToken.None);
        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        return run;
    }

    /// <summary>The newest result bundle the runs wrote.</summary>
    public ResultBundle LatestBundle()
    {
        var store = new ResultBundleStore(
            Options.Create(new PipelineOptions { Bundles = { Directory = BundlesDirectory } }), NullLogger<ResultBundleStore>.Instance);
        return ResultBundleReader.Read(store.Latest() ?? throw new InvalidOperationException("No run left a bundle."));
    }

    /// <summary>The demo's Overpass answer without every <paramref name="nth"/> tagged node: fewer OSM elements, other figures,
    /// a change well under the shrink limits.</summary>
    public string OsmWithoutEveryNthNode(int nth)
    {
        var document = XDocument.Load(OsmPath);
        var nodes = document.Root!.Elements("node").Where(n => n.Elements("tag").Any()).ToList();
        for (var i = 0; i < nodes.Count; i += nth)
        {
            nodes[i].Remove();
        }

        var path = Path.Combine(Directory, $"osm-{Guid.NewGuid():N}.xml");
        document.Save(path);
        return path;
    }
}
