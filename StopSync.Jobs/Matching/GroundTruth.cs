using StopSync.Jobs.Matching.Engine;
using StopSync.Jobs.Sources;

namespace StopSync.Jobs.Matching;

/// <param name="Predicted">Distinct (sloid, OSM id) pairs in the match records.</param>
/// <param name="Expected">Truth rows that name both a sloid and an OSM id.</param>
public sealed record TruthScore(int Predicted, int Expected, int Correct)
{
    public double Precision => Predicted == 0 ? 0 : (double)Correct / Predicted;

    public double Recall => Expected == 0 ? 0 : (double)Correct / Expected;
}

/// <summary>Rows with an empty side ("ATLAS only", "OSM only") hold no pair; they count only through the pairs they lack.</summary>
public sealed class GroundTruth
{
    private readonly HashSet<(string Sloid, string OsmId)> _pairs;

    private GroundTruth(HashSet<(string, string)> pairs) => _pairs = pairs;

    public int PairCount => _pairs.Count;

    public static GroundTruth Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new SourceFormatException($"Truth file '{path}' does not exist.");
        }

        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.TrimStart('\uFEFF').Trim();
        if (header is null || !header.StartsWith("sloid,osm_id", StringComparison.Ordinal))
        {
            throw new SourceFormatException($"Truth file '{path}' does not start with the header 'sloid,osm_id,case'.");
        }

        var pairs = new HashSet<(string, string)>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length < 2)
            {
                throw new SourceFormatException($"Truth file '{path}' line {lineNumber} has fewer than two fields.");
            }

            var (sloid, osmId) = (fields[0].Trim(), fields[1].Trim());
            if (sloid.Length > 0 && osmId.Length > 0)
            {
                pairs.Add((sloid, osmId));
            }
        }

        return new GroundTruth(pairs);
    }

    public TruthScore Score(IEnumerable<AtlasOsmMatch> matches)
    {
        var predicted = matches.Select(m => (m.Sloid, m.OsmId)).ToHashSet();
        return new TruthScore(predicted.Count, _pairs.Count, predicted.Count(_pairs.Contains));
    }
}
