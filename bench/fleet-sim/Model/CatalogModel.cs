namespace OpenCdn.FleetSim.Model;

/// <summary>
/// The synthetic catalog over time: titles with Zipf-like popularity by rank, a quarter of them made for one taste region,
/// a daily mean-reverting churn of every title's popularity, and weekly releases (Fridays, 00:00 UTC) whose launch-day
/// peak halves every <see cref="LaunchHalfLifeDays"/> days while as many of the least played old titles retire.
/// </summary>
internal sealed class CatalogModel
{
    public const int Regions = 3;
    public const double LaunchHalfLifeDays = 3;
    private const double ForeignFactor = 0.1;
    private const double ChurnMemory = 0.8;

    private readonly SimOptions _options;
    private readonly Random _random;
    private readonly double[] _rankWeight;
    private readonly double[] _churnLog;
    private readonly List<SimTitle> _titles = [];

    public CatalogModel(SimOptions options, DateTimeOffset start)
    {
        _options = options;
        _random = new Random(options.Seed);
        var releaseDays = Enumerable.Range(0, options.TotalDays).Where(d => start.AddDays(d).DayOfWeek == DayOfWeek.Friday).ToArray();
        var total = options.Titles + (releaseDays.Length * options.ReleasesPerWeek);
        _rankWeight = new double[total];
        _churnLog = new double[total];
        var ranks = Enumerable.Range(1, options.Titles).ToArray();
        _random.Shuffle(ranks);
        for (var i = 0; i < options.Titles; i++)
        {
            Add(i, RankWeight(ranks[i]), start.AddYears(-1), 0);
        }
        var next = options.Titles;
        foreach (var day in releaseDays)
        {
            for (var k = 0; k < options.ReleasesPerWeek; k++)
            {
                var longRun = RankWeight(1 + _random.Next(options.Titles));
                var launch = 2 * RankWeight(1 + (int)(100 * Math.Pow(_random.NextDouble(), 2)));
                Add(next++, longRun, start.AddDays(day), launch);
            }
        }
        Weights = new double[Regions][];
        for (var r = 0; r < Regions; r++)
        {
            Weights[r] = new double[total];
        }
    }

    public IReadOnlyList<SimTitle> Titles => _titles;

    /// <summary>Per taste region, the day's play weight of every title (0 outside the catalog).</summary>
    public double[][] Weights { get; }

    public long CatalogBytesAtStart { get; private set; }

    /// <summary>
    /// Moves the catalog to <paramref name="day"/>: churns popularity, retires as many old titles as launch today, and
    /// recomputes the weights. Returns the titles launched and retired.
    /// </summary>
    public (List<SimTitle> Launched, List<SimTitle> Retired) StartDay(DateTimeOffset day)
    {
        var launched = _titles.Where(t => t.LaunchedAt == day).ToList();
        var retired = new List<SimTitle>();
        if (launched.Count > 0)
        {
            retired.AddRange(_titles.Where(t => t.LaunchWeight == 0 && t.InCatalog(day))
                .OrderBy(t => t.BaseWeight).ThenBy(t => t.Index).Take(launched.Count));
            foreach (var title in retired)
            {
                title.RetiredAt = day;
            }
        }
        foreach (var title in _titles)
        {
            var i = title.Index;
            _churnLog[i] = (ChurnMemory * _churnLog[i]) + (_options.DailyChurn * Normal());
            title.BaseWeight = _rankWeight[i] * Math.Exp(_churnLog[i]);
        }
        var noon = day.AddHours(12);
        foreach (var title in _titles)
        {
            var w = 0.0;
            if (title.InCatalog(noon))
            {
                var age = (noon - title.LaunchedAt).TotalDays;
                w = title.BaseWeight + (title.LaunchWeight * Math.Pow(2, -age / LaunchHalfLifeDays));
            }
            for (var r = 0; r < Regions; r++)
            {
                Weights[r][title.Index] = title.HomeRegion < 0 || title.HomeRegion == r ? w : w * ForeignFactor;
            }
        }
        if (CatalogBytesAtStart == 0)
        {
            CatalogBytesAtStart = _titles.Where(t => t.InCatalog(day)).Sum(t => t.SizeBytes);
        }
        return (launched, retired);
    }

    private void Add(int index, double weight, DateTimeOffset launchedAt, double launchWeight)
    {
        _rankWeight[index] = weight;
        // Films 85–150 min (30 %), episodes 22–60 min.
        var seconds = _random.NextDouble() < 0.3 ? _random.Next(85 * 60, 150 * 60) : _random.Next(22 * 60, 60 * 60);
        var home = _random.NextDouble() < 0.25 ? _random.Next(Regions) : -1;
        _titles.Add(new SimTitle(index, seconds, weight, home, launchedAt, launchWeight));
    }

    private double RankWeight(int rank) => Math.Pow(rank, -_options.ZipfExponent);

    private double Normal()
    {
        var u = 1 - _random.NextDouble();
        var v = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
