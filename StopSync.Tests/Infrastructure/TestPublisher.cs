using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StopSync.Jobs.History;
using StopSync.Jobs.Publication;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources.Geography;

namespace StopSync.Tests.Infrastructure;

/// <summary>A <see cref="DatasetPublisher"/> wired as the jobs host wires it, for tests that publish without a run.</summary>
internal static class TestPublisher
{
    public static DatasetPublisher Create(NpgsqlDataSource dataSource, PipelineOptions options, SwissCantons cantons)
    {
        var wrapped = Options.Create(options);
        var history = new PublicationHistory(wrapped, new PublicationStatisticsWriter(NullLogger<PublicationStatisticsWriter>.Instance));
        return new DatasetPublisher(dataSource, wrapped, cantons, history, NullLogger<DatasetPublisher>.Instance);
    }
}
