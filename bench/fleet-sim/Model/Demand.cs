namespace OpenCdn.FleetSim.Model;

/// <summary>
/// Draws each hour's plays: per ISP a Poisson count around its share of the day's plays times its local hour's share;
/// per play a title from its region's popularity of the day, a client, a rung and how much of the title is watched
/// (40 % watch to the end, the others stop at a uniform point).
/// </summary>
internal sealed class Demand(SimOptions options, Network network, CatalogModel catalog)
{
    private readonly Random _random = new(options.Seed + 2);
    private readonly double _dailyPlays = (double)options.Plays / options.Days;
    private readonly double[] _rungCumulative = Cumulative(Ladder.PlayShare);
    private AliasTable[] _byRegion = [];

    /// <summary>Rebuilds the per-region title samplers from the catalog's weights of the day.</summary>
    public void StartDay() =>
        _byRegion = [.. Enumerable.Range(0, CatalogModel.Regions).Select(r => new AliasTable(catalog.Weights[r]))];

    public void Draw(DateTimeOffset hour, PlayBatch batch)
    {
        batch.Clear();
        var titles = catalog.Titles;
        for (var isp = 0; isp < network.IspShare.Length; isp++)
        {
            var zone = network.Zones[network.IspZone[isp]];
            var count = Poisson(_dailyPlays * network.IspShare[isp] * Diurnal.Share[zone.LocalHour(hour)]);
            var sampler = _byRegion[zone.Region];
            for (var p = 0; p < count; p++)
            {
                var title = sampler.Next(_random);
                var rung = Array.BinarySearch(_rungCumulative, _random.NextDouble());
                rung = rung < 0 ? Math.Min(~rung, Ladder.Rungs - 1) : rung;
                var watched = _random.NextDouble() < 0.4 ? 1.0 : 0.02 + (0.98 * _random.NextDouble());
                var bytes = (long)(Ladder.PlayBytesPerSecond(rung) * titles[title].Seconds * watched);
                batch.Add(isp, _random.Next(Network.ClientsPerIsp), title, rung, bytes);
            }
        }
    }

    /// <summary>Mean bytes of one play over a catalog (for sizing egress).</summary>
    public static double MeanPlayBytes(IEnumerable<SimTitle> titles)
    {
        var perSecond = Enumerable.Range(0, Ladder.Rungs).Sum(r => Ladder.PlayShare[r] * Ladder.PlayBytesPerSecond(r));
        return titles.Average(t => (double)t.Seconds) * perSecond * (0.4 + (0.6 * 0.51));
    }

    private int Poisson(double mean)
    {
        if (mean > 50)
        {
            var u = 1 - _random.NextDouble();
            var v = _random.NextDouble();
            var normal = Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * normal)));
        }
        var limit = Math.Exp(-mean);
        var k = 0;
        var product = _random.NextDouble();
        while (product > limit)
        {
            k++;
            product *= _random.NextDouble();
        }
        return k;
    }

    private static double[] Cumulative(double[] shares)
    {
        var sums = new double[shares.Length];
        var total = 0.0;
        for (var i = 0; i < shares.Length; i++)
        {
            total += shares[i];
            sums[i] = total;
        }
        return sums;
    }
}
