namespace StopSync.Jobs.Sources.Atlas;

/// <summary>Columns are trimmed; an empty column stays empty.</summary>
/// <param name="Number">The 7-digit UIC number of the service point, matched to OSM <c>uic_ref</c>.</param>
/// <param name="Designation">The platform code, matched to OSM <c>local_ref</c>.</param>
/// <param name="DesignationOfficial">The stop name, matched to OSM <c>name</c>, <c>uic_name</c> and <c>gtfs:name</c>.</param>
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
