using System.Globalization;
using System.Text;

namespace StopSync.Jobs.Demo;

/// <summary><see cref="Platform"/> is set for platform rows and their duplicates.</summary>
internal sealed record AtlasRow(
    string Sloid,
    string CountryCode,
    string Number,
    string Designation,
    string DesignationOperational,
    string ParentSloid,
    string ElementType,
    GeoPoint Position,
    string DesignationOfficial,
    TransportOperator Operator)
{
    public const string BoardingPlatform = "BOARDING_PLATFORM";
    public const string BoardingArea = "BOARDING_AREA";
    public const string OpenEnded = "9999-12-31";

    public string ValidFrom { get; init; } = "2024-12-15";
    public string ValidTo { get; init; } = OpenEnded;
    public string Length { get; init; } = "";
    public string BoardingAreaHeight { get; init; } = "";
    public string CompassDirection { get; init; } = "";
    public string Height { get; init; } = "";
    public string CreationDate { get; init; } = "2024-12-15 08:00:00";
    public string EditionDate { get; init; } = "2025-06-01 08:00:00";

    public Platform? Platform { get; init; }
    public bool IsDuplicate { get; init; }

    public bool IsCurrentSwissPlatform => CountryCode == "85" && ValidTo == OpenEnded && ElementType == BoardingPlatform;

    public string NumberShort => int.Parse(Number[2..], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
}

/// <summary>A duplicate row follows its original; the rows the filters remove come last.</summary>
internal sealed class AtlasTableBuilder(GeneratorProfile profile, Random random)
{
    // Real places just across the border, with the UIC country code their stops carry (80 DE, 81 AT, 83 IT, 87 FR).
    private static readonly (string Name, string Country, GeoPoint Centre)[] ForeignTowns =
    [
        ("Weil am Rhein", "80", new(47.5937, 7.6107)), ("Lörrach", "80", new(47.6156, 7.6613)), ("Konstanz", "80", new(47.6633, 9.1755)),
        ("Singen (Hohentwiel)", "80", new(47.7590, 8.8403)), ("Waldshut", "80", new(47.6231, 8.2143)), ("Bregenz", "81", new(47.5031, 9.7471)),
        ("Feldkirch", "81", new(47.2406, 9.6004)), ("Como", "83", new(45.8081, 9.0852)), ("Domodossola", "83", new(46.1157, 8.2925)),
        ("Tirano", "83", new(46.2163, 10.1689)), ("Annemasse", "87", new(46.1934, 6.2373)), ("Saint-Louis", "87", new(47.5903, 7.5566)),
        ("Pontarlier", "87", new(46.9048, 6.3549)), ("Évian-les-Bains", "87", new(46.4007, 6.5896)),
    ];

    private static readonly TransportOperator ForeignOperator = new(
        "DB", ["DB", "DB", "DB", "DB"], ["Deutsche Bahn AG", "Deutsche Bahn AG", "Deutsche Bahn AG", "Deutsche Bahn AG"],
        "ch:1:sboid:100999", "9999.0", "9999", "0");

    private readonly HashSet<string> _sloids = new(StringComparer.Ordinal);

    public List<AtlasRow> Build(StopLayout layout)
    {
        _sloids.UnionWith(layout.Platforms.Select(p => p.Sloid));
        var rows = new List<AtlasRow>(layout.Platforms.Count * 9 / 8);
        foreach (var stop in layout.ServicePoints)
        {
            foreach (var platform in stop.Platforms)
            {
                var row = PlatformRow(platform);
                rows.Add(row);
                if (platform.Designation.Length > 0 && random.NextDouble() < profile.AtlasDuplicateShare)
                {
                    rows.Add(Duplicate(row, platform));
                }
            }

            if (profile.Size != DatasetSize.Demo)
            {
                AddFilteredRows(rows, stop);
            }
        }

        if (profile.Size == DatasetSize.Demo)
        {
            AddDemoFilteredRows(rows, layout);
        }
        else
        {
            AddForeignRows(rows, (int)Math.Round(layout.Platforms.Count * profile.ForeignShare));
        }

        return rows;
    }

    private AtlasRow PlatformRow(Platform platform)
    {
        var stop = platform.ServicePoint;
        var (length, height) = stop.Kind switch
        {
            StopKind.Rail => (F(random.Next(150, 420), 1), "55.0"),
            StopKind.Tram => (F(random.Next(30, 60), 1), "30.0"),
            StopKind.Bus when random.NextDouble() < 0.5 => (F(random.Next(12, 30), 1), random.NextDouble() < 0.5 ? "16.0" : "22.0"),
            _ => ("", ""),
        };
        var created = RandomDate(2019, 2025);
        return new AtlasRow(platform.Sloid, "85", stop.Uic, platform.Designation, platform.DesignationOperational, platform.ParentSloid,
            AtlasRow.BoardingPlatform, platform.Position, stop.Name, stop.Operator)
        {
            ValidFrom = created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Length = length,
            BoardingAreaHeight = height,
            CompassDirection = stop.Kind == StopKind.Bus && random.NextDouble() < 0.3 ? F(random.Next(0, 360), 1) : "",
            Height = F(Elevation(platform.Position), 1),
            CreationDate = Timestamp(created),
            EditionDate = Timestamp(created.AddDays(random.Next(0, 400))),
            Platform = platform,
        };
    }

    /// <summary>Same number and designation, another SLOID and a slightly different position: the upstream duplicate-group case.</summary>
    private AtlasRow Duplicate(AtlasRow original, Platform platform)
    {
        string sloid;
        do
        {
            sloid = $"{platform.ServicePoint.ServicePointSloid}:0:{random.Next(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture)}";
        }
        while (!_sloids.Add(sloid));

        return original with
        {
            Sloid = sloid,
            ParentSloid = "",
            Position = original.Position.Offset(2 + (random.NextDouble() * 13), random.NextDouble() * 360),
            IsDuplicate = true,
        };
    }

    private void AddFilteredRows(List<AtlasRow> rows, ServicePoint stop)
    {
        var count = stop.Platforms.Count;
        if (random.NextDouble() < profile.BoardingAreaShare * count)
        {
            var parent = stop.Platforms[0].ParentSloid.Length > 0 ? stop.Platforms[0].ParentSloid : stop.ServicePointSloid + ":1";
            rows.Add(new AtlasRow(parent, "85", stop.Uic, "", "", "", AtlasRow.BoardingArea, stop.Position, stop.Name, stop.Operator));
        }

        if (random.NextDouble() < profile.ExpiredShare * count)
        {
            var validTo = RandomDate(2019, 2025);
            rows.Add(new AtlasRow($"{stop.ServicePointSloid}:0:{random.Next(1, 100_000).ToString(CultureInfo.InvariantCulture)}9",
                "85", stop.Uic, "", "", "", AtlasRow.BoardingPlatform, stop.Position.Offset(random.Next(5, 60), random.NextDouble() * 360),
                stop.Name, stop.Operator)
            {
                ValidFrom = validTo.AddYears(-random.Next(1, 6)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ValidTo = validTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }
    }

    private void AddForeignRows(List<AtlasRow> rows, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (name, country, centre) = ForeignTowns[i % ForeignTowns.Length];
            var stopIndex = i / ForeignTowns.Length;
            var number = $"{country}{(10_000 + ((i % ForeignTowns.Length) * 1_000) + (stopIndex / 2)).ToString(CultureInfo.InvariantCulture)}";
            var numberShort = int.Parse(number[2..], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
            var position = centre.Offset(Math.Sqrt(random.NextDouble()) * 2_500, random.NextDouble() * 360);
            var designation = ((stopIndex % 2) + 1).ToString(CultureInfo.InvariantCulture);
            rows.Add(new AtlasRow($"ch:1:sloid:{numberShort}:0:{designation}", country, number, designation, "", "",
                AtlasRow.BoardingPlatform, position, stopIndex < 2 ? name : $"{name}, Haltestelle {(stopIndex / 2).ToString(CultureInfo.InvariantCulture)}",
                ForeignOperator));
        }
    }

    /// <summary>The demo keeps exactly one boarding area, one expired platform and two German platforms.</summary>
    private static void AddDemoFilteredRows(List<AtlasRow> rows, StopLayout layout)
    {
        var zurich = layout.ServicePoints[0];
        rows.Add(new AtlasRow(zurich.ServicePointSloid + ":1", "85", zurich.Uic, "", "", "", AtlasRow.BoardingArea,
            zurich.Position.Offset(60, 90), zurich.Name, zurich.Operator));
        var bern = layout.ServicePoints.First(s => s.Uic == "8507000");
        var expired = new AtlasRow(bern.ServicePointSloid + ":1:99", "85", bern.Uic, "99", "99", "", AtlasRow.BoardingPlatform,
            bern.Position.Offset(70, 45), bern.Name, bern.Operator);
        rows.Add(expired with { ValidTo = "2021-12-11" });
        rows.Add(new AtlasRow("ch:1:sloid:14441:0:1", "80", "8014441", "1", "", "", AtlasRow.BoardingPlatform,
            new GeoPoint(47.59370, 7.61070), "Weil am Rhein", ForeignOperator));
        rows.Add(new AtlasRow("ch:1:sloid:14441:0:2", "80", "8014441", "2", "", "", AtlasRow.BoardingPlatform,
            new GeoPoint(47.59380, 7.61090), "Weil am Rhein", ForeignOperator));
    }

    private DateTime RandomDate(int fromYear, int toYear) =>
        new DateTime(fromYear, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(random.Next(0, ((toYear - fromYear + 1) * 365) - 1))
            .AddSeconds(random.Next(6 * 3600, 18 * 3600));

    private static string Timestamp(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A made-up but plausible elevation: low on the plateau and in Ticino, higher in the Alps.</summary>
    private static double Elevation(GeoPoint point) =>
        SwissGeography.IsAlpine(point) ? 900 + (Math.Abs(Math.Sin(point.Lat * 97) * Math.Cos(point.Lon * 89)) * 1_300)
            : 300 + (Math.Abs(Math.Sin(point.Lat * 53) * Math.Cos(point.Lon * 61)) * 450);

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

/// <summary>Writes the ATLAS CSV as opentransportdata.swiss serves it: 34 columns, <c>;</c>, UTF-8 with BOM.</summary>
internal static class AtlasWriter
{
    public static readonly string[] Header =
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

    public static void Write(string path, IEnumerable<AtlasRow> rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16) { NewLine = "\n" };
        writer.WriteLine(string.Join(';', Header));
        var fields = new string[Header.Length];
        foreach (var row in rows)
        {
            Fill(fields, row);
            writer.WriteLine(string.Join(';', fields));
        }
    }

    private static void Fill(string[] f, AtlasRow row)
    {
        var (east, north) = Lv95.FromWgs84(row.Position);
        var numberShort = row.NumberShort;
        var op = row.Operator;
        f[0] = row.Sloid;
        f[1] = numberShort;
        f[2] = row.CountryCode;
        f[3] = row.Number;
        f[4] = (row.Number.Sum(c => c - '0') % 10).ToString(CultureInfo.InvariantCulture);
        f[5] = row.ValidFrom;
        f[6] = row.ValidTo;
        f[7] = row.Designation;
        f[8] = row.DesignationOperational;
        f[9] = row.Length;
        f[10] = row.BoardingAreaHeight;
        f[11] = row.CompassDirection;
        f[12] = row.ParentSloid;
        f[13] = row.ElementType;
        f[14] = east.ToString("F5", CultureInfo.InvariantCulture);
        f[15] = north.ToString("F5", CultureInfo.InvariantCulture);
        f[16] = row.Position.Lon.ToString("F11", CultureInfo.InvariantCulture);
        f[17] = row.Position.Lat.ToString("F11", CultureInfo.InvariantCulture);
        f[18] = row.Height;
        f[19] = row.CreationDate;
        f[20] = row.EditionDate;
        f[21] = "ch:1:sloid:" + numberShort;
        f[22] = row.DesignationOfficial;
        f[23] = op.Sboid;
        f[24] = op.OrganisationNumber;
        for (var i = 0; i < 4; i++)
        {
            f[25 + i] = op.Abbreviations[i];
            f[29 + i] = op.Descriptions[i];
        }

        f[33] = "VALIDATED";
    }
}
