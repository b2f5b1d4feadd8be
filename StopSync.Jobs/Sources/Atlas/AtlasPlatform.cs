namespace StopSync.Jobs.Sources.Atlas;

/// <summary>One ATLAS boarding platform as the matching needs it (columns trimmed; empty stays empty).</summary>
/// <param name="Number">The 7-digit UIC number of the service point (ATLAS <c>number</c>), matched to OSM <c>uic_ref</c>.</param>
/// <param name="Designation">The platform code (<c>designation</c>), matched to OSM <c>local_ref</c>.</param>
/// <param name="DesignationOfficial">The stop name, matched to OSM <c>name</c>, <c>uic_name</c> and <c>gtfs:name</c>.</param>
/// <param name="OperatorAbbreviation"><c>servicePointBusinessOrganisationAbbreviationEn</c>, compared with OSM <c>operator</c>.</param>
/// <param name="OperatorId">The operator's SBOID (<c>servicePointBusinessOrganisation</c>), for display.</param>
/// <param name="OperatorName"><c>servicePointBusinessOrganisationDescriptionEn</c>, for display.</param>
public sealed record AtlasPlatform(
    string Sloid,
    string Number,
    string Designation,
    string DesignationOfficial,
    string OperatorAbbreviation,
    double Lat,
    double Lon,
    string OperatorId = "",
    string OperatorName = "");
