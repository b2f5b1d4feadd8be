namespace StopSync.Data.Entities;

/// <summary>An ATLAS boarding platform of the published dataset, keyed by its SLOID.</summary>
public sealed class AtlasStop
{
    public required string Sloid { get; set; }
    public string? UicRef { get; set; }
    public string? Designation { get; set; }
    public string? DesignationOfficial { get; set; }
    public string? BusinessOrgAbbr { get; set; }
    public double Lat { get; set; }
    public double Lon { get; set; }

    /// <summary>For a row of an ATLAS duplicate group (same UIC number and designation): the group's representative.</summary>
    public string? RepresentativeSloid { get; set; }

    /// <summary>The group's SLOIDs as a JSON array, representative first; null outside a group.</summary>
    public string? DuplicateGroupSloids { get; set; }
}
