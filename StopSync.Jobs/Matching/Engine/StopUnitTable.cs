namespace StopSync.Jobs.Matching.Engine;

/// <summary>Siblings are hidden from the stages (docs/07-matching.md#stop-units-before-any-stage).</summary>
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

    public string?[] GroupKind { get; }

    public List<int> Registered { get; } = [];

    public List<int> Trios { get; } = [];

    public bool IsHidden(int j) => _representative[j] != j;

    public bool IsGrouped(int j) => _representative[j] != j || _siblings.ContainsKey(j);

    public int RepresentativeOf(int j) => _representative[j];

    public IReadOnlyList<int> Siblings(int representative) => _siblings.GetValueOrDefault(representative, NoSiblings);

    public int TrioMiddle(int representative) => _trioMiddle[representative];

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
