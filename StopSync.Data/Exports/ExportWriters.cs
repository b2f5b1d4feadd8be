using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StopSync.Data.Exports;

/// <summary>
/// Writes rows of one format into a buffer that the caller empties into the file or the response after each chunk,
/// so that nothing is ever written synchronously to a stream and memory stays at one chunk.
/// </summary>
public abstract class ExportWriter : IDisposable
{
    protected ArrayBufferWriter<byte> Buffer { get; } = new(64 * 1024);

    public static ExportWriter For(string format, IReadOnlyList<ExportColumn> columns) =>
        format == ExportFormats.GeoJson ? new GeoJsonExportWriter(columns) : new CsvExportWriter(columns);

    public abstract void Begin();

    public abstract void Write(ExportRow row);

    public abstract void Finish();

    public async ValueTask FlushToAsync(Stream stream, CancellationToken ct)
    {
        FlushPending();
        if (Buffer.WrittenCount > 0)
        {
            await stream.WriteAsync(Buffer.WrittenMemory, ct);
            Buffer.ResetWrittenCount();
        }
    }

    protected virtual void FlushPending()
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>ISO 8601; UTC instants with Z, local times (ATLAS's edition date, Swiss time) without an offset.</summary>
    internal static string Timestamp(DateTime value) => value.ToString(
        value.Kind == DateTimeKind.Utc ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    internal static double Round(double value, ExportValueKind kind) => Math.Round(value, kind == ExportValueKind.Distance ? 1 : 6);
}

/// <summary>
/// RFC 4180: comma-separated, CRLF line ends, a header line, fields quoted where they hold a comma, quote or line break;
/// UTF-8 without a byte order mark, as the site's other CSV files. Missing values are <c>N/A</c>.
/// </summary>
public sealed class CsvExportWriter(IReadOnlyList<ExportColumn> columns) : ExportWriter
{
    public const string Missing = "N/A";

    private readonly StringBuilder _line = new(256);

    public override void Begin()
    {
        for (var i = 0; i < columns.Count; i++)
        {
            Field(i, columns[i].Name);
        }

        EndLine();
    }

    public override void Write(ExportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        for (var i = 0; i < columns.Count; i++)
        {
            Field(i, Format(row.Values[i], columns[i].Kind));
        }

        EndLine();
    }

    public override void Finish()
    {
    }

    /// <summary>
    /// Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, and names and notes
    /// come from open data anyone can edit; a leading apostrophe keeps such a cell text (OWASP's CSV injection advice).
    /// Numbers are written by this class and are never neutralised.
    /// </summary>
    public static string Inert(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    internal static string Format(object? value, ExportValueKind kind) => value switch
    {
        null => Missing,
        double d => Round(d, kind).ToString(kind == ExportValueKind.Distance ? "F1" : "F6", CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        long n => n.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset t => Timestamp(t.UtcDateTime),
        DateTime t => Timestamp(t),
        string s => s.Length == 0 ? Missing : Inert(s),
        _ => Inert(Convert.ToString(value, CultureInfo.InvariantCulture) ?? Missing),
    };

    private void Field(int index, string value)
    {
        if (index > 0)
        {
            _line.Append(',');
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            _line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            _line.Append(value);
        }
    }

    private void EndLine()
    {
        _line.Append("\r\n");
        var bytes = Encoding.UTF8.GetByteCount(_line.ToString());
        var span = Buffer.GetSpan(bytes);
        Buffer.Advance(Encoding.UTF8.GetBytes(_line.ToString(), span));
        _line.Clear();
    }
}

/// <summary>
/// An RFC 7946 FeatureCollection: each row a Feature with a Point at its position ([lon, lat], WGS 84, 6 decimals), or a
/// null geometry when it has none; the properties are the CSV columns with missing values as null.
/// </summary>
public sealed class GeoJsonExportWriter : ExportWriter
{
    private readonly IReadOnlyList<ExportColumn> _columns;
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText[] _names;

    public GeoJsonExportWriter(IReadOnlyList<ExportColumn> columns)
    {
        _columns = columns;
        _json = new Utf8JsonWriter(Buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _names = [.. columns.Select(c => JsonEncodedText.Encode(c.Name))];
    }

    public override void Begin()
    {
        _json.WriteStartObject();
        _json.WriteString("type", "FeatureCollection");
        _json.WriteStartArray("features");
    }

    public override void Write(ExportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _json.WriteStartObject();
        _json.WriteString("type", "Feature");
        if (row.Lat is { } lat && row.Lon is { } lon)
        {
            _json.WriteStartObject("geometry");
            _json.WriteString("type", "Point");
            _json.WriteStartArray("coordinates");
            _json.WriteNumberValue(Math.Round(lon, 6));
            _json.WriteNumberValue(Math.Round(lat, 6));
            _json.WriteEndArray();
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("geometry");
        }

        _json.WriteStartObject("properties");
        for (var i = 0; i < _columns.Count; i++)
        {
            var name = _names[i];
            switch (row.Values[i])
            {
                case null:
                    _json.WriteNull(name);
                    break;
                case double d:
                    _json.WriteNumber(name, Round(d, _columns[i].Kind));
                    break;
                case int n:
                    _json.WriteNumber(name, n);
                    break;
                case long n:
                    _json.WriteNumber(name, n);
                    break;
                case DateTimeOffset t:
                    _json.WriteString(name, Timestamp(t.UtcDateTime));
                    break;
                case DateTime t:
                    _json.WriteString(name, Timestamp(t));
                    break;
                case string s when s.Length == 0:
                    _json.WriteNull(name);
                    break;
                default:
                    _json.WriteString(name, Convert.ToString(row.Values[i], CultureInfo.InvariantCulture));
                    break;
            }
        }

        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    public override void Finish()
    {
        _json.WriteEndArray();
        _json.WriteEndObject();
    }

    protected override void FlushPending() => _json.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _json.Dispose();
        }

        base.Dispose(disposing);
    }
}
