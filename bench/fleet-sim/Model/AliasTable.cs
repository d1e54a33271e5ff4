namespace OpenCdn.FleetSim.Model;

/// <summary>Walker's alias method: draws an index with probability proportional to its weight in O(1).</summary>
internal sealed class AliasTable
{
    private readonly double[] _probability;
    private readonly int[] _alias;

    public AliasTable(ReadOnlySpan<double> weights)
    {
        var n = weights.Length;
        _probability = new double[n];
        _alias = new int[n];
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }
        if (total <= 0)
        {
            throw new ArgumentException("At least one weight must be positive.", nameof(weights));
        }
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            var s = small.Pop();
            var l = large.Pop();
            _probability[s] = scaled[s];
            _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }
        while (large.Count > 0)
        {
            _probability[large.Pop()] = 1;
        }
        while (small.Count > 0)
        {
            _probability[small.Pop()] = 1;
        }
    }

    public int Next(Random random)
    {
        var i = random.Next(_probability.Length);
        return random.NextDouble() < _probability[i] ? i : _alias[i];
    }
}
