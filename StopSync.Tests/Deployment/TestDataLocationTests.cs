using StopSync.Tests.Infrastructure;

namespace StopSync.Tests.Deployment;

/// <summary>How the tests find the real samples: STOPSYNC_TEST_DATA, else ../shared/data beside the repository.</summary>
public sealed class TestDataLocationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("stopsync-test-data-location-").FullName;

    private string Repository => Path.Combine(_root, "repo");

    public TestDataLocationTests() => Directory.CreateDirectory(Repository);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TestDataFile_ReadsSharedDataBesideTheRepository_WhenTheSettingIsUnset()
    {
        var expected = Write(Path.Combine(_root, "shared", "data"), "upstream-sample", "sample_atlas.csv");

        var path = TestEnvironment.TestDataFile(null, Repository, "upstream-sample", "sample_atlas.csv");

        Assert.Equal(expected, path);
    }

    [Fact]
    public void TestDataFile_ReadsTheNamedFolder_WhenTheSettingIsAbsolute()
    {
        var folder = Path.Combine(_root, "elsewhere");
        var expected = Write(folder, "upstream-sample", "sample_osm.xml");

        var path = TestEnvironment.TestDataFile(folder, Repository, "upstream-sample", "sample_osm.xml");

        Assert.Equal(expected, path);
    }

    [Fact]
    public void TestDataFile_ResolvesAgainstTheRepositoryRoot_WhenTheSettingIsRelative()
    {
        var expected = Write(Path.Combine(Repository, ".cache", "test-data"), "upstream-sample", "sample_osm.xml");

        var path = TestEnvironment.TestDataFile(".cache/test-data", Repository, "upstream-sample", "sample_osm.xml");

        Assert.Equal(expected, path);
    }

    [Fact]
    public void TestDataFile_SaysHowToFetchTheData_WhenTheFolderIsMissing()
    {
        var missing = Path.Combine(_root, "not-fetched");

        var error = Assert.Throws<DirectoryNotFoundException>(
            () => TestEnvironment.TestDataFile(missing, Repository, "upstream-sample", "sample_atlas.csv"));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/fetch-test-data.sh", error.Message, StringComparison.Ordinal);
        Assert.Contains("STOPSYNC_TEST_DATA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TestDataFile_NamesTheFileAndHowToFetchIt_WhenOnlyTheFileIsMissing()
    {
        Directory.CreateDirectory(Path.Combine(_root, "shared", "data"));

        var error = Assert.Throws<FileNotFoundException>(
            () => TestEnvironment.TestDataFile(" ", Repository, "swiss-gtfs-learning-pt-routing", "small_gtfs_feed.zip"));

        Assert.Contains("swiss-gtfs-learning-pt-routing/small_gtfs_feed.zip", error.Message, StringComparison.Ordinal);
        Assert.Contains("../shared/data", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/fetch-test-data.sh", error.Message, StringComparison.Ordinal);
    }

    private static string Write(string folder, params string[] parts)
    {
        var path = Path.Combine([folder, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "sample");
        return path;
    }
}
