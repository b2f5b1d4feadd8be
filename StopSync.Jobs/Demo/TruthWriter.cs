using System.Text;

namespace StopSync.Jobs.Demo;

/// <summary>Every current ATLAS platform and every OSM element appears, paired or alone.</summary>
internal static class TruthWriter
{
    public static List<TruthRow> Rows(IEnumerable<AtlasRow> atlas, OsmMap osm)
    {
        var rows = new List<TruthRow>(osm.Truth);
        foreach (var duplicate in atlas.Where(r => r.IsDuplicate))
        {
            // The duplicate stands for the same platform, so it belongs to the original's OSM element.
            var element = osm.Counterparts[duplicate.Platform!.Index].PlatformElement;
            rows.Add(element is null
                ? new TruthRow(duplicate.Sloid, "", TruthCases.AtlasOnly)
                : new TruthRow(duplicate.Sloid, element.Key, TruthCases.AtlasDuplicate));
        }

        return rows;
    }

    public static void Write(string path, IEnumerable<TruthRow> rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        writer.WriteLine("sloid,osm_id,case");
        foreach (var row in rows)
        {
            writer.Write(row.Sloid);
            writer.Write(',');
            writer.Write(row.OsmKey);
            writer.Write(',');
            writer.WriteLine(row.Case);
        }
    }
}
