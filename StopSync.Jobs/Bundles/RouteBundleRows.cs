using System.Text.Json;
using System.Text.Json.Serialization;
using StopSync.Jobs.Matching.Routes;

namespace StopSync.Jobs.Bundles;

/// <summary>
/// A row of the <c>routes</c> section (docs/04-pipeline.md#result-bundle): <c>{kind, value}</c> where the value is a
/// <see cref="LineFamily"/> (its itineraries and their calls nested), a <see cref="LineFamilyMatch"/>, an
/// <see cref="ItineraryMatch"/> or the <see cref="RouteMatchingSummary"/>.
/// </summary>
/// <param name="Value">Null for a kind this reader does not know, or a JSON null; the reader refuses both with the line.</param>
[JsonConverter(typeof(RouteRowConverter))]
internal sealed record RouteRow(string Kind, object? Value);

/// <summary>
/// A row of the <c>extensions</c> section: the run's figures as free JSON, and one <c>gtfs_stops</c> row per Swiss
/// GTFS stop with what it resolved to.
/// </summary>
[JsonConverter(typeof(ExtensionRowConverter))]
internal sealed record ExtensionRow(string Kind, JsonElement? Value, GtfsStopRow? GtfsStop = null);

/// <summary>A GTFS stop of <see cref="Sources.Gtfs.GtfsStop"/> and its <see cref="Sources.Gtfs.GtfsStopResolution"/>, labels as published.</summary>
/// <param name="IdentityLevel"><c>station</c>, <c>platform</c>, <c>child_stop</c> or <c>stop</c>.</param>
/// <param name="ResolutionMethod"><c>original_stop_id</c>, <c>uic_platform</c>, <c>coordinate_proximity</c>, <c>unique_number</c> or <c>unmatched</c>.</param>
internal sealed record GtfsStopRow(
    string StopId,
    string StopName,
    double Lat,
    double Lon,
    string? StopCode,
    string? UicNumber,
    string? LocalRef,
    string? NormalizedLocalRef,
    string? PlatformCode,
    string? OriginalStopId,
    string? LocationType,
    string? ParentStation,
    string? Didok,
    string IdentityLevel,
    string ResolutionMethod,
    double Confidence,
    double? DistanceM,
    IReadOnlyList<string> Sloids);

/// <summary>
/// Reads <c>kind</c> first so that the value is parsed straight into its record: a Swiss routes section holds about a
/// million stop calls, and an intermediate JSON tree of all of them would double the reader's memory. A value written
/// before its kind (another writer) is buffered and converted at the end of the row.
/// </summary>
internal sealed class RouteRowConverter : JsonConverter<RouteRow>
{
    public override RouteRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var (kind, value, early) = KindFirst.Read(ref reader, "route", ReadValue);
        if (early is { ValueKind: not JsonValueKind.Null } buffered && kind is not null)
        {
            value = kind switch
            {
                ResultBundleFormat.LineFamilyKind => buffered.Deserialize(BundleJsonContext.Default.LineFamily),
                ResultBundleFormat.LineFamilyMatchKind => buffered.Deserialize(BundleJsonContext.Default.LineFamilyMatch),
                ResultBundleFormat.ItineraryMatchKind => buffered.Deserialize(BundleJsonContext.Default.ItineraryMatch),
                ResultBundleFormat.RouteSummaryKind => buffered.Deserialize(BundleJsonContext.Default.RouteMatchingSummary),
                _ => null,
            };
        }

        return new RouteRow(kind ?? "", value);
    }

    public override void Write(Utf8JsonWriter writer, RouteRow value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", value.Kind);
        writer.WritePropertyName("value");
        switch (value.Value)
        {
            case LineFamily family:
                JsonSerializer.Serialize(writer, family, BundleJsonContext.Default.LineFamily);
                break;
            case LineFamilyMatch match:
                JsonSerializer.Serialize(writer, match, BundleJsonContext.Default.LineFamilyMatch);
                break;
            case ItineraryMatch match:
                JsonSerializer.Serialize(writer, match, BundleJsonContext.Default.ItineraryMatch);
                break;
            case RouteMatchingSummary summary:
                JsonSerializer.Serialize(writer, summary, BundleJsonContext.Default.RouteMatchingSummary);
                break;
            default:
                throw new InvalidOperationException($"A routes row of kind '{value.Kind}' cannot hold a {value.Value?.GetType().Name ?? "null"}.");
        }

        writer.WriteEndObject();
    }

    private static object? ReadValue(string kind, ref Utf8JsonReader reader)
    {
        switch (kind)
        {
            case ResultBundleFormat.LineFamilyKind:
                return JsonSerializer.Deserialize(ref reader, BundleJsonContext.Default.LineFamily);
            case ResultBundleFormat.LineFamilyMatchKind:
                return JsonSerializer.Deserialize(ref reader, BundleJsonContext.Default.LineFamilyMatch);
            case ResultBundleFormat.ItineraryMatchKind:
                return JsonSerializer.Deserialize(ref reader, BundleJsonContext.Default.ItineraryMatch);
            case ResultBundleFormat.RouteSummaryKind:
                return JsonSerializer.Deserialize(ref reader, BundleJsonContext.Default.RouteMatchingSummary);
            default:
                reader.Skip();
                return null;
        }
    }
}

/// <summary>As <see cref="RouteRowConverter"/>: <c>gtfs_stops</c> values straight into their record, any other kind as free JSON.</summary>
internal sealed class ExtensionRowConverter : JsonConverter<ExtensionRow>
{
    public override ExtensionRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var (kind, value, early) = KindFirst.Read(ref reader, "extension", ReadValue);
        if (early is { ValueKind: not JsonValueKind.Null } buffered && kind is not null)
        {
            value = kind == ResultBundleFormat.GtfsStopsKind ? buffered.Deserialize(BundleJsonContext.Default.GtfsStopRow) : buffered;
        }

        return value is GtfsStopRow stop ? new ExtensionRow(kind ?? "", null, stop) : new ExtensionRow(kind ?? "", value as JsonElement?);
    }

    public override void Write(Utf8JsonWriter writer, ExtensionRow value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", value.Kind);
        writer.WritePropertyName("value");
        if (value.GtfsStop is { } stop)
        {
            JsonSerializer.Serialize(writer, stop, BundleJsonContext.Default.GtfsStopRow);
        }
        else if (value.Value is { } json)
        {
            json.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    private static object? ReadValue(string kind, ref Utf8JsonReader reader) =>
        kind == ResultBundleFormat.GtfsStopsKind
            ? JsonSerializer.Deserialize(ref reader, BundleJsonContext.Default.GtfsStopRow)
            : JsonElement.ParseValue(ref reader);
}

file static class KindFirst
{
    public delegate object? ValueReader(string kind, ref Utf8JsonReader reader);

    /// <summary>The row's kind and value; <c>Early</c> is the value when it came before the kind.</summary>
    public static (string? Kind, object? Value, JsonElement? Early) Read(ref Utf8JsonReader reader, string what, ValueReader readValue)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"a {what} row is a JSON object with a kind and a value");
        }

        string? kind = null;
        object? value = null;
        JsonElement? early = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "kind":
                    kind = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("kind is not a string");
                    break;
                case "value" when kind is null:
                    early = JsonElement.ParseValue(ref reader);
                    break;
                case "value":
                    value = reader.TokenType == JsonTokenType.Null ? null : readValue(kind, ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return (kind, value, early);
    }
}
