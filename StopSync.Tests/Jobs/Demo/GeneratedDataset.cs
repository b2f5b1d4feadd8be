using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using StopSync.Jobs.Demo;
using StopSync.Jobs.Sources;
using nietras.SeparatedValues;

namespace StopSync.Tests.Jobs.Demo;

/// <summary>Reads a generated dataset back with plain parsers (not the generator's own types), so tests check the files.</summary>
internal sealed class GeneratedDataset
{
    private GeneratedDataset(string directory)
    {
        Directory = directory;
        var lines = File.ReadAllLines(Path.Combine(directory, SourceFileNames.Atlas));
        AtlasHeader = lines[0].TrimStart('\uFEFF').Split(';');
        AtlasRows = lines.Skip(1).Select(l => l.Split(';')).ToList();
        Osm = XDocument.Load(Path.Combine(directory, SourceFileNames.Osm));
        Truth = File.ReadAllLines(Path.Combine(directory, DatasetGenerator.TruthFileName)).Skip(1)
            .Select(l => l.Split(','))
            .Select(f => new TruthLine(f[0], f[1], f[2]))
            .ToList();
        OsmElements = Osm.Root!.Elements().Where(e => e.Name == "node" || e.Name == "way")
            .ToDictionary(e => (e.Name == "way" ? "way_" : "") + (string)e.Attribute("id")!, e => e, StringComparer.Ordinal);
        CurrentPlatforms = AtlasRows
            .Where(r => Col(r, "uicCountryCode") == "85" && Col(r, "validTo") == "9999-12-31" && Col(r, "trafficPointElementType") == "BOARDING_PLATFORM")
            .ToDictionary(r => Col(r, "sloid"), StringComparer.Ordinal);
    }

    public string Directory { get; }
    public string[] AtlasHeader { get; }
    public List<string[]> AtlasRows { get; }
    public Dictionary<string, string[]> CurrentPlatforms { get; }
    public XDocument Osm { get; }

    /// <summary>Nodes by id and ways by <c>way_&lt;id&gt;</c>, as the ground truth names them.</summary>
    public Dictionary<string, XElement> OsmElements { get; }

    /// <summary>The route relations (<c>type=route</c>).</summary>
    public IEnumerable<XElement> Relations => Osm.Root!.Elements("relation").Where(r => Tag(r, "type") == "route");

    public IEnumerable<XElement> RouteMasters => Osm.Root!.Elements("relation").Where(r => Tag(r, "type") == "route_master");
    public List<TruthLine> Truth { get; }
    public string GtfsPath => Path.Combine(Directory, SourceFileNames.Gtfs);

    public static GeneratedDataset Load(string directory) => new(directory);

    public string Col(string[] row, string column) => row[Array.IndexOf(AtlasHeader, column)];

    public static string? Tag(XElement element, string key) =>
        element.Elements("tag").FirstOrDefault(t => (string)t.Attribute("k")! == key)?.Attribute("v")?.Value;

    /// <summary>A node's position, or a way's centre.</summary>
    public static (double Lat, double Lon) Position(XElement element)
    {
        var source = element.Name == "way" ? element.Element("center")! : element;
        return (double.Parse((string)source.Attribute("lat")!, CultureInfo.InvariantCulture), double.Parse((string)source.Attribute("lon")!, CultureInfo.InvariantCulture));
    }

    public (double Lat, double Lon) Position(string[] atlasRow) =>
        (double.Parse(Col(atlasRow, "wgs84North"), CultureInfo.InvariantCulture), double.Parse(Col(atlasRow, "wgs84East"), CultureInfo.InvariantCulture));

    /// <summary>The header and the rows of one GTFS file, unquoted.</summary>
    public (string[] Header, List<string[]> Rows) ReadGtfs(string name)
    {
        using var zip = ZipFile.OpenRead(GtfsPath);
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException($"{name} is not in the GTFS zip");
        using var stream = entry.Open();
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).From(stream);
        var header = reader.Header.ColNames.ToArray();
        var rows = new List<string[]>();
        foreach (var row in reader)
        {
            var fields = new string[header.Length];
            for (var i = 0; i < header.Length; i++)
            {
                fields[i] = row[i].ToString();
            }

            rows.Add(fields);
        }

        return (header, rows);
    }

    public static double DistanceMeters((double Lat, double Lon) a, (double Lat, double Lon) b)
    {
        var dLat = (b.Lat - a.Lat) * Math.PI / 180;
        var dLon = (b.Lon - a.Lon) * Math.PI / 180;
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(a.Lat * Math.PI / 180) * Math.Cos(b.Lat * Math.PI / 180) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * 6_371_000 * Math.Asin(Math.Sqrt(h));
    }
}

internal sealed record TruthLine(string Sloid, string OsmId, string Case);

/// <summary>One <c>small</c> dataset for the whole test class: generating it takes about a second.</summary>
public sealed class SmallDatasetFixture : IDisposable
{
    public const int Seed = 4242;

    public SmallDatasetFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("stopsync-small-").FullName;
        Summary = DatasetGenerator.Generate(Path.Combine(Directory, "a"), DatasetSize.Small, Seed);
        Dataset = GeneratedDataset.Load(Summary.Directory);
    }

    public string Directory { get; }
    public DatasetSummary Summary { get; }
    internal GeneratedDataset Dataset { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
