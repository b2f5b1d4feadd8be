namespace StopSync.Jobs.Matching.Routes;

/// <summary>
/// Stop keys as small integers: each call becomes a sorted array of key ids, so "same stop" (keys intersect) compares a
/// handful of ints instead of strings inside the alignment's inner loop.
/// </summary>
internal sealed class StopKeyTable
{
    private const string UicPrefix = "uic:";

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<bool> _isUic = [];
    private readonly Dictionary<Itinerary, int[][]> _calls = new(ReferenceEqualityComparer.Instance);

    /// <summary>True for a <c>uic:</c> key: a station, not a platform.</summary>
    public bool IsUic(int id) => _isUic[id];

    /// <summary>One sorted key-id array per call, in call order; computed once per itinerary.</summary>
    public int[][] Calls(Itinerary itinerary)
    {
        if (_calls.TryGetValue(itinerary, out var known))
        {
            return known;
        }

        var calls = new int[itinerary.Calls.Count][];
        for (var k = 0; k < calls.Length; k++)
        {
            calls[k] = Keys(itinerary.Calls[k]);
        }

        _calls[itinerary] = calls;
        return calls;
    }

    private int[] Keys(StopCall call)
    {
        var keys = new int[call.StopKeys.Count];
        for (var k = 0; k < keys.Length; k++)
        {
            keys[k] = Id(call.StopKeys[k]);
        }

        Array.Sort(keys);
        return keys;
    }

    private int Id(string key)
    {
        if (!_ids.TryGetValue(key, out var id))
        {
            id = _ids.Count;
            _ids.Add(key, id);
            _isUic.Add(key.StartsWith(UicPrefix, StringComparison.Ordinal));
        }

        return id;
    }
}
