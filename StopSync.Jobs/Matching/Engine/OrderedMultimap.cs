namespace StopSync.Jobs.Matching.Engine;

/// <summary>Keys keep first-appearance order, which makes the engine's output independent of hash ordering.</summary>
internal sealed class OrderedMultimap<T>
{
    private static readonly List<T> Empty = [];
    private readonly Dictionary<string, List<T>> _lists = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];

    public IReadOnlyList<string> Keys => _keys;

    public IReadOnlyList<T> this[string key] => _lists.GetValueOrDefault(key, Empty);

    public bool Contains(string key) => _lists.ContainsKey(key);

    public void Add(string key, T value) => ListOf(key).Add(value);

    public void AddRange(string key, IEnumerable<T> values) => ListOf(key).AddRange(values);

    /// <summary>Records the key's position in <see cref="Keys"/> without a value.</summary>
    public void Touch(string key) => ListOf(key);

    private List<T> ListOf(string key)
    {
        if (!_lists.TryGetValue(key, out var list))
        {
            list = [];
            _lists[key] = list;
            _keys.Add(key);
        }

        return list;
    }
}
