namespace OpenCdn.FleetSim.Model;

/// <summary>
/// When each edge is down, drawn up front so push and pull see the same failures: outages start at random hours (a
/// Poisson process of <see cref="SimOptions.OutagesPerEdgeMonth"/>), last 1–24 hours, and one in ten replaces the
/// disk (the edge comes back empty).
/// </summary>
internal sealed class Outages
{
    private readonly bool[][] _down;
    private readonly bool[][] _wiped;

    public Outages(SimOptions options, int edges)
    {
        var random = new Random(options.Seed + 3);
        var perHour = options.OutagesPerEdgeMonth / (30 * 24);
        _down = new bool[edges][];
        _wiped = new bool[edges][];
        for (var e = 0; e < edges; e++)
        {
            _down[e] = new bool[options.TotalHours];
            _wiped[e] = new bool[options.TotalHours];
            for (var h = 0; h < options.TotalHours; h++)
            {
                if (_down[e][h] || random.NextDouble() >= perHour)
                {
                    continue;
                }
                var length = random.Next(1, 25);
                for (var k = h; k < Math.Min(options.TotalHours, h + length); k++)
                {
                    _down[e][k] = true;
                }
                if (h + length < options.TotalHours && random.NextDouble() < 0.1)
                {
                    _wiped[e][h + length] = true;
                }
            }
        }
    }

    public bool IsDown(int edge, int hour) => _down[edge][hour];

    /// <summary>True in the hour the edge comes back with an empty disk.</summary>
    public bool ComesBackEmpty(int edge, int hour) => _wiped[edge][hour];

    public int DownEdgeHours => _down.Sum(d => d.Count(x => x));
}
