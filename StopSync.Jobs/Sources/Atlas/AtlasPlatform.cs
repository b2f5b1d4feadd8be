namespace StopSync.Jobs.Sources.Atlas;

/// <summary>Columns are trimmed; an empty column stays empty.</summary>
/// <param name="Number">The 7-digit UIC number of the service point, matched to OSM <c>uic_ref</c>.</param>
/// <param name="Designation">The platform code, matched to OSM <c>local_ref</c>.</param>
/// <param name="DesignationOfficial">The stop name, matched to OSM <c>name</c>, <c>uic_name</c> and <c>gtfs:name</c>.</param>
/// <param name="OperatorId">servicePointBusinessOrganisation, the operator's SBOID.</param>
/// <param name="OperatorName">servicePointBusinessOrganisationDescriptionEn, the operator's full name.</param>
public sealed record AtlasPlatform(
    string Sloid,
    string Number,
    string Designation,
    string DesignationOfficial,
    string OperatorAbbreviation,
    double Lat,
    double Lon,
    string OperatorId = "",
    string OperatorName = "")
{
    /// <summary>What only reviewers read (the matching engine never does); null when the input had none of it.</summary>
    public AtlasPlatformDetails? Details { get; init; }
}

/// <summary>
/// The optional columns of docs/06-sources.md#atlas-traffic-points; each is null when the file lacks the column, leaves
/// it empty or holds a value that does not parse.
/// </summary>
/// <param name="ElementType">trafficPointElementType (published platforms are <c>BOARDING_PLATFORM</c>).</param>
/// <param name="CompassDirection">Degrees clockwise from north, 0 to 360.</param>
/// <param name="Lv95East">Swiss LV95 (EPSG:2056) east coordinate as ATLAS publishes it.</param>
/// <param name="EditionDate">ATLAS's last edit of the row, Swiss local time as published (no offset).</param>
public sealed record AtlasPlatformDetails(
    string? DesignationOperational = null,
    string? ParentServicePointSloid = null,
    string? ElementType = null,
    DateOnly? ValidFrom = null,
    DateOnly? ValidTo = null,
    double? CompassDirection = null,
    double? Lv95East = null,
    double? Lv95North = null,
    DateTime? EditionDate = null);
