using System.Net.Sockets;
using Npgsql;
using StackExchange.Redis;
using StopSync.Jobs.Runs;
using StopSync.Jobs.Sources;
using StopSync.Jobs.Sources.Acquisition;

namespace StopSync.Tests.Jobs.Runs;

public sealed class RunFailureTests
{
    [Fact]
    public void Cause_NamesALostDatabaseConnection_WhereNpgsqlOnlySaysItCouldNotWriteToTheStream()
    {
        var error = new NpgsqlException("Exception while writing to stream",
            new IOException("Unable to write data to the transport connection: Broken pipe.", new SocketException((int)SocketError.Shutdown)));

        var cause = RunFailure.Cause(error, "load");

        Assert.Equal("database connection lost during load (Broken pipe)", cause);
    }

    [Fact]
    public void Cause_NamesAnUnreachableDatabase_WhenTheConnectionIsRefused()
    {
        var error = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new NpgsqlException("Failed to connect to 127.0.0.1:5999", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal("database unreachable during start (Connection refused)", RunFailure.Cause(error, "start"));
    }

    [Fact]
    public void Cause_KeepsTheFileAndLineOfBadInput_ButNotTheServerPath()
    {
        var error = new SourceFormatException("The OSM file '/srv/stopsync/data/cache/osm-stops.xml' is not well-formed XML: line 12, position 3.");

        Assert.Equal("The OSM file 'osm-stops.xml' is not well-formed XML: line 12, position 3.", RunFailure.Cause(error, "matching inputs"));
    }

    [Fact]
    public void Cause_KeepsASourceAddress_ButNotItsQuery()
    {
        var error = new SourceAcquisitionException("ATLAS download https://data.example/atlas.csv?token=s3cret failed after 3 retries: 500");

        var cause = RunFailure.Cause(error, "source files");

        Assert.Equal("ATLAS download https://data.example/atlas.csv failed after 3 retries: 500", cause);
    }

    [Fact]
    public void Cause_SaysRedisDidNotAnswer_WhenItTimesOut_ThoughATimeoutIsNoRedisException()
    {
        var error = new RedisTimeoutException("Timeout awaiting response (outbound=0KiB, inbound=0KiB, 5000ms elapsed, timeout is 5000ms), serverEndpoint: redis:6379, v: 2.13.1", CommandStatus.Sent);

        Assert.Equal("Redis did not answer in time during index", RunFailure.Cause(error, "index"));
    }

    [Fact]
    public void Cause_SaysRedis_AndNothingOfTheConnectionDump_WhenRedisIsLost()
    {
        var error = new RedisConnectionException(ConnectionFailureType.SocketFailure,
            "No connection is active/available to service this operation: SET stopsync:pipeline:status; mc: 1/1/0, mgr: 10 of 10 available, clientName: host");

        Assert.Equal("Redis connection lost during index", RunFailure.Cause(error, "index"));
    }

    [Fact]
    public void Cause_OfAnUnexpectedError_NamesOnlyItsTypeAndStep()
    {
        var cause = RunFailure.Cause(new KeyNotFoundException("key ab12 not found in /srv/app/Secret.cs:line 4"), "swap");

        Assert.Equal("unexpected error during swap (KeyNotFoundException; see the jobs log)", cause);
    }
}
