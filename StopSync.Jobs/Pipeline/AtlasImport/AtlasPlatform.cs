namespace StopSync.Jobs.Pipeline.AtlasImport;

/// <summary>One ATLAS boarding platform as the matching needs it (columns trimmed; empty stays empty).</summary>
public sealed record AtlasPlatform(
    string Sloid,
    string Number,
    string Designation,
    string DesignationOfficial,
    string OperatorAbbreviation,
    double Lat,
    double Lon);
