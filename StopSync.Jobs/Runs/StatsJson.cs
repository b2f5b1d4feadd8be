using System.Text.Json;
using System.Text.Json.Serialization;

namespace StopSync.Jobs.Runs;

/// <summary>Run statistics as stored in the database: snake_case keys throughout, enums by name.</summary>
public static class StatsJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
