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

/// <summary>A town or village: the cluster its stops lie around.</summary>
internal sealed record Place(
    int Index,
    string Name,
    GeoPoint Centre,
    PlaceTier Tier,
    LanguageRegion Language,
    double RadiusMeters,
    TransportOperator BusOperator,
    string Network);

/// <summary>An ATLAS service point (one UIC number) with its boarding platforms.</summary>
internal sealed class ServicePoint(int index, Place place, string uic, string name, StopKind kind, GeoPoint position, TransportOperator op)
{
    public int Index { get; } = index;
    public Place Place { get; } = place;

    /// <summary>The 7-digit UIC number, <c>85</c> + numberShort.</summary>
    public string Uic { get; } = uic;

    public string NumberShort { get; } = int.Parse(uic[2..], System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>ATLAS <c>designationOfficial</c>, e.g. "Oberwil, Post".</summary>
    public string Name { get; } = name;

    public StopKind Kind { get; } = kind;
    public GeoPoint Position { get; } = position;
    public TransportOperator Operator { get; } = op;
    public List<Platform> Platforms { get; } = [];

    /// <summary>The part after "Place, " that OSM mappers often use alone as <c>name</c>.</summary>
    public string ShortName => Name.Contains(',', StringComparison.Ordinal) ? Name[(Name.IndexOf(',', StringComparison.Ordinal) + 1)..].Trim() : Name;

    public string ServicePointSloid => "ch:1:sloid:" + NumberShort;
}

/// <summary>One ATLAS boarding platform: the unit that matching and the ground truth are about.</summary>
internal sealed record Platform(
    int Index,
    ServicePoint ServicePoint,
    string Sloid,
    string Designation,
    string DesignationOperational,
    string ParentSloid,
    GeoPoint Position);

/// <summary>Every place, service point and platform of a dataset, in generation order.</summary>
internal sealed class StopLayout
{
    public List<Place> Places { get; } = [];
    public List<ServicePoint> ServicePoints { get; } = [];
    public List<Platform> Platforms { get; } = [];

    /// <summary>Every UIC number given to a service point, so imperfections can pick numbers nobody has.</summary>
    public HashSet<string> AllocatedUics { get; } = new(StringComparer.Ordinal);
}
