namespace StopSync.Jobs.Matching.Engine;

/// <summary>
/// Which OSM elements form one stop (matching-spec §3.1). A pair's representative is its platform-like element and its
/// sibling the stop_position; a trio's representative is its first side (by id), its siblings the other side and the
/// middle. Siblings are hidden from the stages; each element belongs to at most one group.
/// </summary>
internal sealed class StopUnitTable
{
    private static readonly int[] NoSiblings = [];
    private readonly int[] _representative;
    private readonly Dictionary<int, int[]> _siblings = [];
    private readonly Dictionary<int, int> _trioMiddle = [];

    public StopUnitTable(int count)
    {
        _representative = Enumerable.Range(0, count).ToArray();
        GroupKind = new string?[count];
    }

    /// <summary>The group kind (<see cref="StopUnitKinds"/>) of a representative; null for everything else.</summary>
    public string?[] GroupKind { get; }

    /// <summary>Representatives of pairs and trios in the order they were registered.</summary>
    public List<int> Registered { get; } = [];

    /// <summary>Trio representatives in registration order.</summary>
    public List<int> Trios { get; } = [];

    public bool IsHidden(int j) => _representative[j] != j;

    public bool IsGrouped(int j) => _representative[j] != j || _siblings.ContainsKey(j);

    public int RepresentativeOf(int j) => _representative[j];

    public IReadOnlyList<int> Siblings(int representative) => _siblings.GetValueOrDefault(representative, NoSiblings);

    public int TrioMiddle(int representative) => _trioMiddle[representative];

    /// <summary>The trio's two sides: the representative, then its partner.</summary>
    public (int First, int Second) TrioSides(int representative) => (representative, _siblings[representative][0]);

    public void RegisterPair(int platform, int stopPosition, string kind)
    {
        _siblings[platform] = [stopPosition];
        _representative[stopPosition] = platform;
        GroupKind[platform] = kind;
        Registered.Add(platform);
    }

    public void RegisterTrio(int representative, int partner, int middle)
    {
        _siblings[representative] = [partner, middle];
        _representative[partner] = representative;
        _representative[middle] = representative;
        _trioMiddle[representative] = middle;
        GroupKind[representative] = StopUnitKinds.GroupTrio;
        Registered.Add(representative);
        Trios.Add(representative);
    }
}
