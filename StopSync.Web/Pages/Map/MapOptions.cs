namespace StopSync.Web.Pages.Map;

public sealed class MapOptions
{
    public const string SectionName = "Map";

    /// <summary>
    /// Raster tile URL template, OpenStreetMap's standard tiles unless configured; empty (tests, offline machines) shows
    /// the offline base map drawn from the vendored Swiss boundaries instead.
    /// </summary>
    public string? TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>Credit line of the tiles, HTML as Leaflet's attribution control expects it (configuration, not data).</summary>
    public string TileAttribution { get; set; } =
        "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors";

    public double CenterLat { get; set; } = 46.8;
    public double CenterLon { get; set; } = 8.2;
    public int Zoom { get; set; } = 8;

    /// <summary>The ATLAS service-point page of a UIC number; <c>{uic_ref}</c> is replaced by the number.</summary>
    public string AtlasUrlTemplate { get; set; } = "https://atlas.app.sbb.ch/service-point-directory/service-points/{uic_ref}/service-point";
}
