namespace StopSync.Jobs.Matching.Engine;

internal readonly record struct AssignmentEdge(int A, int B, double Distance);

/// <summary>The most pairs within the cap, then the smallest total distance (docs/07-matching.md#the-ten-stages).</summary>
internal static class MinCostAssignment
{
    /// <summary>
    /// Solves the lexicographic problem by one min-cost perfect assignment: every row may also take one of
    /// <paramref name="rows"/> dummy "unmatched" columns at cost P = (rows + 1)·cap + 1, so leaving one more row
    /// unmatched always costs more than any total of real distances; absent edges cost 1000·P and are never chosen.
    /// Ties are broken deterministically by the solver's scan order (rows, then columns, in the order given).
    /// </summary>
    public static List<AssignmentEdge> MaxCardinalityMinDistance(int rows, int columns, IReadOnlyList<AssignmentEdge> edges, double cap)
    {
        var result = new List<AssignmentEdge>();
        if (rows == 0 || columns == 0 || edges.Count == 0)
        {
            return result;
        }

        var unmatched = ((rows + 1) * cap) + 1;
        var absent = unmatched * 1000;
        var width = columns + rows;
        var cost = new double[rows, width];
        var valid = new bool[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                cost[r, c] = absent;
            }

            for (var c = columns; c < width; c++)
            {
                cost[r, c] = unmatched;
            }
        }

        foreach (var edge in edges)
        {
            if (edge.Distance <= cap && (!valid[edge.A, edge.B] || edge.Distance < cost[edge.A, edge.B]))
            {
                cost[edge.A, edge.B] = edge.Distance;
                valid[edge.A, edge.B] = true;
            }
        }

        var assigned = Hungarian(cost);
        for (var r = 0; r < rows; r++)
        {
            var c = assigned[r];
            if (c < columns && valid[r, c])
            {
                result.Add(new AssignmentEdge(r, c, cost[r, c]));
            }
        }

        return result;
    }

    /// <summary>The Hungarian method with potentials, O(n²·m), for n ≤ m.</summary>
    public static int[] Hungarian(double[,] cost)
    {
        var n = cost.GetLength(0);
        var m = cost.GetLength(1);
        if (n > m)
        {
            throw new ArgumentException("The Hungarian method needs at least as many columns as rows.", nameof(cost));
        }

        // 1-based potentials and matching as in the classic formulation; column 0 is the virtual start.
        var u = new double[n + 1];
        var v = new double[m + 1];
        var rowOfColumn = new int[m + 1];
        var way = new int[m + 1];
        var minSlack = new double[m + 1];
        var done = new bool[m + 1];
        for (var i = 1; i <= n; i++)
        {
            rowOfColumn[0] = i;
            var column = 0;
            Array.Fill(minSlack, double.PositiveInfinity);
            Array.Fill(done, false);
            do
            {
                done[column] = true;
                var row = rowOfColumn[column];
                var delta = double.PositiveInfinity;
                var next = 0;
                for (var j = 1; j <= m; j++)
                {
                    if (done[j])
                    {
                        continue;
                    }

                    var slack = cost[row - 1, j - 1] - u[row] - v[j];
                    if (slack < minSlack[j])
                    {
                        minSlack[j] = slack;
                        way[j] = column;
                    }

                    if (minSlack[j] < delta)
                    {
                        delta = minSlack[j];
                        next = j;
                    }
                }

                for (var j = 0; j <= m; j++)
                {
                    if (done[j])
                    {
                        u[rowOfColumn[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minSlack[j] -= delta;
                    }
                }

                column = next;
            }
            while (rowOfColumn[column] != 0);

            do
            {
                var previous = way[column];
                rowOfColumn[column] = rowOfColumn[previous];
                column = previous;
            }
            while (column != 0);
        }

        var result = new int[n];
        for (var j = 1; j <= m; j++)
        {
            if (rowOfColumn[j] != 0)
            {
                result[rowOfColumn[j] - 1] = j - 1;
            }
        }

        return result;
    }
}
