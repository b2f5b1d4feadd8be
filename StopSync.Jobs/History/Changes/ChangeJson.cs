using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StopSync.Jobs.History.Changes;

/// <summary>The small JSON objects of <c>data_changes.before</c>/<c>after</c>, written field by field (no reflection).</summary>
internal sealed class ChangeJson
{
    private readonly List<(string Name, object? Value)> _fields = [];

    public int Count => _fields.Count;

    public ChangeJson Add(string name, object? value)
    {
        _fields.Add((name, value));
        return this;
    }

    /// <summary>Null when there is nothing to say, so the column stays NULL.</summary>
    public string? ToJsonOrNull() => _fields.Count == 0 ? null : ToJson();

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in _fields)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTime time:
                writer.WriteStringValue(time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                break;
            case IEnumerable<KeyValuePair<string, string?>> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case RawJson raw:
                writer.WriteRawValue(raw.Json);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}

/// <summary>A value that is JSON already (a problem's evidence).</summary>
internal sealed record RawJson(string Json);
