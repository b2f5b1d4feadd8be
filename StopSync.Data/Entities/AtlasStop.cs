namespace StopSync.Data.Entities;

public sealed class AtlasStop
{
    public required string Sloid { get; set; }
    public string? UicRef { get; set; }
    public string? Designation { get; set; }
    public string? DesignationOfficial { get; set; }
    public string? BusinessOrgAbbr { get; set; }

    /// <summary>The operator's full name (servicePointBusinessOrganisationDescriptionEn).</summary>
    public string? BusinessOrgName { get; set; }

    /// <summary>The operator's SBOID (servicePointBusinessOrganisation), e.g. <c>ch:1:sboid:100001</c>.</summary>
    public string? BusinessOrgSboid { get; set; }

    public string? DesignationOperational { get; set; }

    /// <summary>The SLOID of the service point the platform belongs to (parentSloidServicePoint).</summary>
    public string? ParentServicePointSloid { get; set; }

    /// <summary>trafficPointElementType; published platforms are <c>BOARDING_PLATFORM</c>.</summary>
    public string? ElementType { get; set; }

    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    /// <summary>Degrees clockwise from north, as ATLAS records it; null when ATLAS has none.</summary>
    public double? CompassDirection { get; set; }

    /// <summary>Swiss LV95 coordinates (EPSG:2056) exactly as ATLAS publishes them.</summary>
    public double? Lv95East { get; set; }
    public double? Lv95North { get; set; }

    /// <summary>ATLAS's last edit of the row (editionDate), Swiss local time as published.</summary>
    public DateTime? EditionDate { get; set; }

    /// <summary>Two-letter canton code (ZH, BE, …) of the point; null outside every canton (docs/06-sources.md).</summary>
    public string? Canton { get; set; }
    public double Lat { get; set; }
    public double Lon { get; set; }

    /// <summary>Set on every row of an ATLAS duplicate group.</summary>
    public string? RepresentativeSloid { get; set; }

    /// <summary>The group's SLOIDs as a JSON array, representative first; null outside a group.</summary>
    public string? DuplicateGroupSloids { get; set; }
}
