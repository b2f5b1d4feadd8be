namespace StopSync.Jobs.Demo;

internal enum PlaceTier
{
    City,
    Town,
    Village,
}

internal enum StopKind
{
    Rail,
    Bus,
    Tram,
    Aerialway,
}

internal sealed record Place(
    int Index,
    string Name,
    GeoPoint Centre,
    PlaceTier Tier,
    LanguageRegion Language,
    double RadiusMeters,
    TransportOperator BusOperator,
    string Network);

internal sealed class ServicePoint(int index, Place place, string uic, string name, StopKind kind, GeoPoint position, TransportOperator op)
{
    public int Index { get; } = index;
    public Place Place { get; } = place;

    /// <summary>The 7-digit UIC number, <c>85</c> + numberShort.</summary>
    public string Uic { get; } = uic;

    public string NumberShort { get; } = int.Parse(uic[2..], System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Name { get; } = name;

    public StopKind Kind { get; } = kind;
    public GeoPoint Position { get; } = position;
    public TransportOperator Operator { get; } = op;
    public List<Platform> Platforms { get; } = [];

    /// <summary>The part after "Place, " that OSM mappers often use alone as <c>name</c>.</summary>
    public string ShortName => Name.Contains(',', StringComparison.Ordinal) ? Name[(Name.IndexOf(',', StringComparison.Ordinal) + 1)..].Trim() : Name;

    public string ServicePointSloid => "ch:1:sloid:" + NumberShort;
}

internal sealed record Platform(
    int Index,
    ServicePoint ServicePoint,
    string Sloid,
    string Designation,
    string DesignationOperational,
    string ParentSloid,
    GeoPoint Position);

internal sealed class StopLayout
{
    public List<Place> Places { get; } = [];
    public List<ServicePoint> ServicePoints { get; } = [];
    public List<Platform> Platforms { get; } = [];

    /// <summary>Every UIC number given to a service point, so imperfections can pick numbers nobody has.</summary>
    public HashSet<string> AllocatedUics { get; } = new(StringComparer.Ordinal);
}
