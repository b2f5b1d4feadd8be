namespace StopSync.Web.Pages.Map;

public sealed class MapOptions
{
    public const string SectionName = "Map";

    /// <summary>Raster tile URL template; empty (tests, offline) draws the stops without a base map.</summary>
    public string? TileUrl { get; set; }

    public string TileAttribution { get; set; } = "&copy; OpenStreetMap contributors";

    public double CenterLat { get; set; } = 46.8;
    public double CenterLon { get; set; } = 8.2;
    public int Zoom { get; set; } = 8;

    /// <summary>The ATLAS service-point page of a UIC number; <c>{uic_ref}</c> is replaced by the number.</summary>
    public string AtlasUrlTemplate { get; set; } = "https://atlas.app.sbb.ch/service-point-directory/service-points/{uic_ref}/service-point";
}
