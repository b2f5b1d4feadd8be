using System.Globalization;
using System.Text;
using System.Xml;

namespace StopSync.Jobs.Demo;

/// <summary>
/// Writes the embedded demo dataset in the real source formats: the ATLAS traffic-point CSV (34 columns, <c>;</c>,
/// UTF-8 with BOM), an Overpass-style OSM XML and a ground-truth CSV of which ATLAS platform is which OSM element.
/// Around a dozen Swiss towns at their real positions, with exact, offset, unmatched and duplicated cases.
/// Deterministic: the same seed gives the same bytes.
/// </summary>
public static class DemoDatasetGenerator
{
    public const string AtlasFileName = "atlas-traffic-points.csv";
    public const string OsmFileName = "osm-stops.xml";
    public const string TruthFileName = "truth.csv";

    internal static readonly string[] AtlasHeader =
    [
        "sloid", "numberShort", "uicCountryCode", "number", "checkDigit", "validFrom", "validTo", "designation",
        "designationOperational", "length", "boardingAreaHeight", "compassDirection", "parentSloid", "trafficPointElementType",
        "lv95East", "lv95North", "wgs84East", "wgs84North", "height", "creationDate", "editionDate", "parentSloidServicePoint",
        "designationOfficial", "servicePointBusinessOrganisation", "servicePointBusinessOrganisationNumber",
        "servicePointBusinessOrganisationAbbreviationDe", "servicePointBusinessOrganisationAbbreviationFr",
        "servicePointBusinessOrganisationAbbreviationIt", "servicePointBusinessOrganisationAbbreviationEn",
        "servicePointBusinessOrganisationDescriptionDe", "servicePointBusinessOrganisationDescriptionFr",
        "servicePointBusinessOrganisationDescriptionIt", "servicePointBusinessOrganisationDescriptionEn", "status",
    ];

    private const double MetersPerDegreeLat = 111_320;

    public static DemoDatasetSummary Generate(string outputDirectory, int seed = 20261129)
    {
        Directory.CreateDirectory(outputDirectory);
        var model = new DemoModel(new Random(seed));
        foreach (var (town, index) in DemoTowns.All.Select((t, i) => (t, i)))
        {
            model.AddTown(town, index);
        }

        model.AddFilteredRows();
        WriteAtlas(Path.Combine(outputDirectory, AtlasFileName), model.Atlas);
        WriteOsm(Path.Combine(outputDirectory, OsmFileName), model.Osm);
        WriteTruth(Path.Combine(outputDirectory, TruthFileName), model.Truth);
        return new DemoDatasetSummary(
            outputDirectory,
            model.Atlas.Count,
            model.Atlas.Count(r => r.IsCurrentSwissPlatform),
            model.Osm.Count,
            model.Truth.Count);
    }

    private static void WriteAtlas(string path, List<AtlasRow> rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)) { NewLine = "\n" };
        writer.WriteLine(string.Join(';', AtlasHeader));
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join(';', row.Fields()));
        }
    }

    private static void WriteOsm(string path, List<OsmNodeSpec> nodes)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  ", NewLineChars = "\n" };
        using var xml = XmlWriter.Create(path, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("osm");
        xml.WriteAttributeString("version", "0.6");
        xml.WriteAttributeString("generator", "StopSync demo generator");
        xml.WriteElementString("note", "Generated demo data in the shape of an Overpass API answer; not real OpenStreetMap data.");
        foreach (var node in nodes)
        {
            xml.WriteStartElement("node");
            xml.WriteAttributeString("id", node.Id.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("lat", node.Lat.ToString("F7", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("lon", node.Lon.ToString("F7", CultureInfo.InvariantCulture));
            foreach (var (key, value) in node.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                xml.WriteStartElement("tag");
                xml.WriteAttributeString("k", key);
                xml.WriteAttributeString("v", value);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteTruth(string path, List<(string Sloid, string OsmId, string Case)> truth)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine("sloid,osm_id,case");
        foreach (var (sloid, osmId, kind) in truth)
        {
            writer.WriteLine($"{sloid},{osmId},{kind}");
        }
    }

    /// <summary>Builds the rows; every random draw happens in a fixed order so the output is reproducible.</summary>
    private sealed class DemoModel(Random random)
    {
        private long _nextOsmId = 900_000_001;

        public List<AtlasRow> Atlas { get; } = [];
        public List<OsmNodeSpec> Osm { get; } = [];
        public List<(string Sloid, string OsmId, string Case)> Truth { get; } = [];

        public void AddTown(DemoTown town, int townIndex)
        {
            AddStation(town);
            for (var s = 0; s < town.Streets.Length; s++)
            {
                AddBusStop(town, townIndex, s);
            }

            // OSM-only stops: mapped in OSM, unknown to ATLAS.
            for (var i = 0; i < 2; i++)
            {
                var (lat, lon) = Offset(town.Lat, town.Lon, 350 + (random.NextDouble() * 250), random.NextDouble() * 360);
                AddOsm(lat, lon, new() { ["highway"] = "bus_stop", ["public_transport"] = "platform", ["name"] = $"{town.Name}, Quartier {i + 1}", ["bus"] = "yes" });
            }
        }

        private void AddStation(DemoTown town)
        {
            // The station node itself is station-level and never a boarding place.
            AddOsm(town.Lat, town.Lon, new()
            {
                ["railway"] = "station", ["public_transport"] = "station", ["name"] = town.Name, ["uic_name"] = town.Name,
                ["uic_ref"] = town.StationUic, ["operator"] = "SBB",
            });
            for (var p = 1; p <= town.RailPlatforms; p++)
            {
                // Platforms lie side by side, 12 m apart, south-east of the station building.
                var (lat, lon) = Offset(town.Lat, town.Lon, 40 + (p * 12), 150);
                var row = AtlasRow.Platform(town.StationUic, "1", p.ToString(CultureInfo.InvariantCulture), p.ToString(CultureInfo.InvariantCulture),
                    town.Name, lat, lon, "SBB", "Schweizerische Bundesbahnen SBB");
                Atlas.Add(row);
                AddCounterpart(row, new() { ["public_transport"] = "platform", ["railway"] = "platform", ["train"] = "yes", ["name"] = town.Name, ["operator"] = "SBB" });
            }
        }

        private void AddBusStop(DemoTown town, int townIndex, int streetIndex)
        {
            var uic = (8_590_000 + (townIndex * 100) + streetIndex).ToString(CultureInfo.InvariantCulture);
            var name = $"{town.Name.Split(' ')[0]}, {town.Streets[streetIndex]}";
            var (stopLat, stopLon) = Offset(town.Lat, town.Lon, 150 + (random.NextDouble() * 900), random.NextDouble() * 360);
            var platforms = new[] { ("A", "1", 0.0), ("B", "2", 180.0) };
            foreach (var (designation, code, bearing) in platforms)
            {
                // The two platforms face each other across the road, about 16 m apart.
                var (lat, lon) = Offset(stopLat, stopLon, 8, bearing);
                var row = AtlasRow.Platform(uic, "0", code, designation, name, lat, lon, town.BusOperator, town.BusOperatorName);
                Atlas.Add(row);
                AddCounterpart(row, new() { ["highway"] = "bus_stop", ["public_transport"] = "platform", ["bus"] = "yes", ["name"] = name, ["uic_name"] = name, ["operator"] = town.BusOperator });
            }

            if (random.NextDouble() < 0.5)
            {
                AddOsm(stopLat, stopLon, new() { ["public_transport"] = "stop_position", ["bus"] = "yes", ["name"] = name });
            }

            if (random.NextDouble() < 0.08)
            {
                // An ATLAS duplicate: a second row with the same number and designation.
                var first = Atlas[^2];
                var duplicate = first with { Sloid = first.Sloid + "0", Lat = first.Lat + 0.00002 };
                Atlas.Add(duplicate);
                var counterpart = Truth.LastOrDefault(t => t.Sloid == first.Sloid);
                if (counterpart.OsmId is not null)
                {
                    Truth.Add((duplicate.Sloid, counterpart.OsmId, "atlas_duplicate"));
                }
            }
        }

        /// <summary>Adds the OSM side of an ATLAS platform in one of the cases real data shows, and records the truth.</summary>
        private void AddCounterpart(AtlasRow row, Dictionary<string, string> tags)
        {
            var draw = random.NextDouble();
            string kind;
            double distance;
            switch (draw)
            {
                case < 0.06:
                    return; // ATLAS-only: nobody mapped it in OSM.
                case < 0.72:
                    kind = "exact";
                    distance = 1 + (random.NextDouble() * 7);
                    break;
                case < 0.80:
                    kind = "offset";
                    distance = 30 + (random.NextDouble() * 90);
                    break;
                case < 0.86:
                    kind = "missing_uic_ref";
                    distance = 2 + (random.NextDouble() * 10);
                    break;
                case < 0.92:
                    kind = "missing_local_ref";
                    distance = 2 + (random.NextDouble() * 10);
                    break;
                case < 0.96:
                    kind = "wrong_uic_ref";
                    distance = 2 + (random.NextDouble() * 10);
                    break;
                default:
                    kind = "osm_duplicate";
                    distance = 2 + (random.NextDouble() * 5);
                    break;
            }

            if (kind != "missing_uic_ref")
            {
                tags["uic_ref"] = kind == "wrong_uic_ref" ? WrongUic(row.Number) : row.Number;
            }

            if (kind != "missing_local_ref")
            {
                tags["local_ref"] = row.Designation;
            }

            var (lat, lon) = Offset(row.Lat, row.Lon, distance, random.NextDouble() * 360);
            Truth.Add((row.Sloid, AddOsm(lat, lon, tags), kind));
            if (kind == "osm_duplicate")
            {
                var (dLat, dLon) = Offset(row.Lat, row.Lon, 3 + (random.NextDouble() * 5), random.NextDouble() * 360);
                Truth.Add((row.Sloid, AddOsm(dLat, dLon, new Dictionary<string, string>(tags)), kind));
            }
        }

        /// <summary>Rows the ATLAS filters must remove: a boarding area, an expired platform and two foreign ones.</summary>
        public void AddFilteredRows()
        {
            var town = DemoTowns.All[0];
            var (aLat, aLon) = Offset(town.Lat, town.Lon, 60, 90);
            Atlas.Add(AtlasRow.Platform(town.StationUic, "1", "90", "", town.Name, aLat, aLon, "SBB", "Schweizerische Bundesbahnen SBB") with { ElementType = "BOARDING_AREA" });
            var bern = DemoTowns.All[1];
            var (eLat, eLon) = Offset(bern.Lat, bern.Lon, 70, 45);
            Atlas.Add(AtlasRow.Platform(bern.StationUic, "1", "99", "99", bern.Name, eLat, eLon, "SBB", "Schweizerische Bundesbahnen SBB") with { ValidTo = "2021-12-11" });
            Atlas.Add(AtlasRow.Platform("8014441", "0", "1", "1", "Weil am Rhein", 47.59370, 7.61070, "DB", "Deutsche Bahn AG") with { CountryCode = "80" });
            Atlas.Add(AtlasRow.Platform("8014441", "0", "2", "2", "Weil am Rhein", 47.59380, 7.61090, "DB", "Deutsche Bahn AG") with { CountryCode = "80" });
        }

        private string AddOsm(double lat, double lon, Dictionary<string, string> tags)
        {
            var id = _nextOsmId++;
            Osm.Add(new OsmNodeSpec(id, lat, lon, tags));
            return id.ToString(CultureInfo.InvariantCulture);
        }

        private string WrongUic(string uic) =>
            (long.Parse(uic, CultureInfo.InvariantCulture) + 1 + random.Next(0, 3)).ToString(CultureInfo.InvariantCulture);

        private static (double Lat, double Lon) Offset(double lat, double lon, double meters, double bearingDegrees)
        {
            var bearing = bearingDegrees * Math.PI / 180;
            var dLat = meters * Math.Cos(bearing) / MetersPerDegreeLat;
            var dLon = meters * Math.Sin(bearing) / (MetersPerDegreeLat * Math.Cos(lat * Math.PI / 180));
            return (lat + dLat, lon + dLon);
        }
    }

    private sealed record OsmNodeSpec(long Id, double Lat, double Lon, Dictionary<string, string> Tags);

    private sealed record AtlasRow(
        string Sloid, string Number, string Designation, string DesignationOfficial, double Lat, double Lon,
        string Operator, string OperatorName)
    {
        public string CountryCode { get; init; } = "85";
        public string ValidTo { get; init; } = "9999-12-31";
        public string ElementType { get; init; } = "BOARDING_PLATFORM";

        public bool IsCurrentSwissPlatform => CountryCode == "85" && ValidTo == "9999-12-31" && ElementType == "BOARDING_PLATFORM";

        public static AtlasRow Platform(string uic, string area, string platform, string designation, string name, double lat, double lon, string op, string opName)
        {
            var numberShort = int.Parse(uic[2..], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
            return new AtlasRow($"ch:1:sloid:{numberShort}:{area}:{platform}", uic, designation, name, lat, lon, op, opName);
        }

        public IEnumerable<string> Fields()
        {
            var numberShort = Sloid.Split(':')[3];
            var area = Sloid.Split(':')[4];
            var (east, north) = Lv95.FromWgs84(Lat, Lon);
            string F(double v, int decimals) => v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            var checkDigit = (Number.Sum(c => c - '0') % 10).ToString(CultureInfo.InvariantCulture);
            return
            [
                Sloid, numberShort, CountryCode, Number, checkDigit, "2024-12-15", ValidTo, Designation,
                "", "", "", "", $"ch:1:sloid:{numberShort}:{area}", ElementType,
                F(east, 5), F(north, 5), F(Lon, 11), F(Lat, 11), "", "2024-12-15 08:00:00", "2025-06-01 08:00:00", $"ch:1:sloid:{numberShort}",
                DesignationOfficial, "ch:1:sboid:100001", "11.0",
                Operator, Operator, Operator, Operator,
                OperatorName, OperatorName, OperatorName, OperatorName, "VALIDATED",
            ];
        }
    }

    /// <summary>swisstopo's approximate WGS84 → LV95 formulas (about 1 m accuracy; enough for demo columns).</summary>
    private static class Lv95
    {
        public static (double East, double North) FromWgs84(double lat, double lon)
        {
            var phi = ((lat * 3600) - 169028.66) / 10000;
            var lambda = ((lon * 3600) - 26782.5) / 10000;
            var east = 2600072.37 + (211455.93 * lambda) - (10938.51 * lambda * phi) - (0.36 * lambda * phi * phi) - (44.54 * lambda * lambda * lambda);
            var north = 1200147.07 + (308807.95 * phi) + (3745.25 * lambda * lambda) + (76.63 * phi * phi)
                - (194.56 * lambda * lambda * phi) + (119.79 * phi * phi * phi);
            return (east, north);
        }
    }
}

public sealed record DemoDatasetSummary(string Directory, int AtlasRows, int AtlasPlatforms, int OsmElements, int TruthPairs);
