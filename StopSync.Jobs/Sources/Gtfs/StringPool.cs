namespace StopSync.Jobs.Sources.Gtfs;

/// <summary>Hands out one string instance per distinct value, so repeated names and ids cost their memory once.</summary>
internal sealed class StringPool
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

    public string Get(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return string.Empty;
        }

        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(value, out var existing))
        {
            return existing;
        }

        var created = value.ToString();
        _strings.Add(created);
        return created;
    }

    /// <summary>Null for an empty value, so optional fields read the same whether the column is blank or absent.</summary>
    public string? GetOrNull(ReadOnlySpan<char> value) => value.IsEmpty ? null : Get(value);
}
