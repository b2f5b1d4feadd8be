namespace StopSync.Data.Entities;

public sealed class AtlasStop
{
    public required string Sloid { get; set; }
    public string? UicRef { get; set; }
    public string? Designation { get; set; }
    public string? DesignationOfficial { get; set; }
    public string? BusinessOrgAbbr { get; set; }
    public double Lat { get; set; }
    public double Lon { get; set; }

    /// <summary>Set on every row of an ATLAS duplicate group.</summary>
    public string? RepresentativeSloid { get; set; }

    /// <summary>The group's SLOIDs as a JSON array, representative first; null outside a group.</summary>
    public string? DuplicateGroupSloids { get; set; }
}
