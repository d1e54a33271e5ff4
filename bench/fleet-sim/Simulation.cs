using System.Diagnostics;
using OpenCdn.FleetSim.Model;
using OpenCdn.FleetSim.Pull;
using OpenCdn.FleetSim.Push;
using OpenCdn.FleetSim.Report;

namespace OpenCdn.FleetSim;

/// <summary>
/// One run: the catalog, fleet, outages and plays drawn from the seed, then hour by hour the same plays through push
/// (the control plane's types) and the pull baselines (LRU, LFU-DA), each on its own thread.
/// </summary>
internal sealed class Simulation
{
    /// <summary>The measured month starts on a Monday in June (no daylight-saving change in any of the zones).</summary>
    public static readonly DateTimeOffset MonthStart = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public Simulation(SimOptions options)
    {
        Options = options;
        Start = MonthStart.AddDays(-options.WarmupDays);
        Catalog = new CatalogModel(options, Start);
        _ = Catalog.StartDay(Start);
        CatalogBytes = Catalog.CatalogBytesAtStart;
        var meanPlay = Demand.MeanPlayBytes(Catalog.Titles.Take(options.Titles));
        Network = new Network(options, CatalogBytes, meanPlay * Diurnal.PeakShare);
        Outages = new Outages(options, Network.Edges.Length);
        Demand = new Demand(options, Network, Catalog);
        var titles = Catalog.Titles.Count;
        Push = new PushFleet(options, Network, Catalog, Outages, Start, new Ledger("push", options.TotalHours, titles, options.Isps,
            options.TotalDays, MeasuredFromHour));
        if (options.WithPull)
        {
            var offsets = Network.PreferredOffsets(Start);
            Pulls =
            [
                new PullFleet(options, Network, Catalog, Outages, Start, offsets, c => new LruCache(c),
                    new Ledger("pull LRU", options.TotalHours, titles, options.Isps, options.TotalDays, MeasuredFromHour)),
                new PullFleet(options, Network, Catalog, Outages, Start, offsets, c => new LfuDaCache(c),
                    new Ledger("pull LFU-DA", options.TotalHours, titles, options.Isps, options.TotalDays, MeasuredFromHour)),
            ];
        }
    }

    public SimOptions Options { get; }

    public DateTimeOffset Start { get; }

    public CatalogModel Catalog { get; }

    public long CatalogBytes { get; }

    public Network Network { get; }

    public Outages Outages { get; }

    public Demand Demand { get; }

    public PushFleet Push { get; }

    public IReadOnlyList<PullFleet> Pulls { get; } = [];

    public double WallSeconds { get; private set; }

    public long PlaysSimulated { get; private set; }

    public int MeasuredFromHour => Options.WarmupDays * 24;

    public IEnumerable<Ledger> Ledgers => [Push.Ledger, .. Pulls.Select(p => p.Ledger)];

    /// <summary>Bytes of every play drawn (what the viewers watched), warm-up included.</summary>
    public double BytesDemanded { get; private set; }

    /// <summary>
    /// Runs every hour: push on this thread, the pull baselines beside it (<see cref="PullRunner"/>);
    /// <paramref name="afterHour"/> (if any) looks at push's state after each.
    /// </summary>
    public Simulation Run(Action<int>? afterHour = null)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = new PlayBatch();
        using var pulls = new PullRunner(Pulls);
        for (var hour = 0; hour < Options.TotalHours; hour++)
        {
            if (hour % 24 == 0)
            {
                var day = Start.AddHours(hour);
                var (launched, retired) = hour == 0 ? ([], []) : Catalog.StartDay(day);
                Push.ChangeCatalog(launched, retired, hour == 0);
                Demand.StartDay();
            }
            Demand.Draw(Start.AddHours(hour), batch);
            PlaysSimulated += batch.Count;
            for (var p = 0; p < batch.Count; p++)
            {
                BytesDemanded += batch.Bytes[p];
            }
            pulls.Feed(hour, batch);
            Push.Step(hour, batch);
            afterHour?.Invoke(hour);
        }
        pulls.Finish();
        WallSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return this;
    }
}
