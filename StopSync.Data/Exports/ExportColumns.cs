namespace StopSync.Data.Exports;

/// <summary>How a value is written: text as is, coordinates with 6 decimals (about 0.1 m), distances with 1.</summary>
public enum ExportValueKind
{
    Text,
    WholeNumber,
    Coordinate,
    Distance,
    Timestamp,
}

public sealed record ExportColumn(string Name, ExportValueKind Kind = ExportValueKind.Text);

/// <summary>One line of an export: the point drawn in GeoJSON (WGS 84) and the values of the columns, null when missing.</summary>
public sealed record ExportRow(double? Lat, double? Lon, object?[] Values);
