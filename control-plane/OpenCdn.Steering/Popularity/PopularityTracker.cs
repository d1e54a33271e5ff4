using System.Runtime.InteropServices;

namespace OpenCdn.Steering.Popularity;

/// <summary>
/// Counts plays per title, globally and per region, with exponential decay. Decisions only enqueue (lock-free, no allocation);
/// <see cref="Snapshot"/> folds the queue in and returns decayed scores. A play at time t is stored as
/// 2^((t − epoch)/halfLife), so decay costs nothing until read; the epoch moves forward before the numbers grow large.
/// What was folded since the last <see cref="TakeUnflushed"/> is also kept apart, for the control plane to add to the
/// fleet-wide counts in the database.
/// </summary>
internal sealed class PopularityTracker(PopularityOptions options, TimeProvider time)
{
    private const double MaxHalfLivesBeforeRebase = 256;
    private const double Negligible = 1e-6;

    private readonly PlayQueue _pending = new(options.MaxPending);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _global = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, double>> _regions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, double>> _unflushed = new(StringComparer.Ordinal); // region "" is global
    private long _epochTicks = time.GetUtcNow().UtcTicks;
    private long _dropped;

    public PopularityOptions Options => options;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Counts one play; cheap and safe from any thread.</summary>
    public void Record(string titleId, string? region, long utcTicks)
    {
        if (!_pending.TryEnqueue(new Play(titleId, region, utcTicks)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Folds pending plays into the scores; cheap, for a timer of a few seconds (planning calls <see cref="Snapshot"/>).</summary>
    public void Fold()
    {
        lock (_gate)
        {
            FoldPending();
        }
    }

    /// <summary>
    /// Folds pending plays in and hands over every count folded since the last call (global ones under the region ""),
    /// decayed to now; they are then forgotten here, and <see cref="Restore"/> puts them back if they could not be stored.
    /// </summary>
    public PopularityDelta TakeUnflushed()
    {
        lock (_gate)
        {
            FoldPending();
            var now = time.GetUtcNow();
            RebaseIfDue(now.UtcTicks);
            var factor = Math.Pow(2, -HalfLives(now.UtcTicks));
            var counts = new PopularityCount[_unflushed.Values.Sum(c => c.Count)];
            var i = 0;
            foreach (var (region, titles) in _unflushed)
            {
                foreach (var (titleId, weight) in titles)
                {
                    counts[i++] = new PopularityCount(region, titleId, weight * factor);
                }
                titles.Clear();
            }
            return new PopularityDelta(now, counts);
        }
    }

    /// <summary>Puts back counts <see cref="TakeUnflushed"/> handed over, for the next flush.</summary>
    public void Restore(PopularityDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        lock (_gate)
        {
            var factor = Math.Pow(2, HalfLives(delta.At.UtcTicks));
            foreach (var count in delta.Counts)
            {
                AddUnflushed(count.Region, count.TitleId, count.Score * factor);
            }
        }
    }

    /// <summary>Folds pending plays in and returns every score decayed to now.</summary>
    public PopularityView Snapshot()
    {
        lock (_gate)
        {
            FoldPending();
            var now = time.GetUtcNow();
            RebaseIfDue(now.UtcTicks);
            var factor = Math.Pow(2, -HalfLives(now.UtcTicks));
            var regions = new Dictionary<string, Dictionary<string, double>>(_regions.Count, StringComparer.Ordinal);
            foreach (var (region, scores) in _regions)
            {
                regions[region] = Scaled(scores, factor, options.ForgetBelow);
            }
            return new PopularityView(now, options, Scaled(_global, factor, options.ForgetBelow), regions);
        }
    }

    private void FoldPending()
    {
        // Plays come in bursts from the same instants and regions: the weight is computed once per distinct time, and a
        // region's two tables are looked up once per run of its plays.
        var ticks = long.MinValue;
        var weight = 0.0;
        var unflushedGlobal = Counts(_unflushed, PopularityCount.Global);
        string? region = null;
        Dictionary<string, double> scores = [], unflushed = [];
        while (_pending.TryDequeue(out var play))
        {
            if (play.UtcTicks != ticks)
            {
                ticks = play.UtcTicks;
                weight = Math.Pow(2, HalfLives(ticks));
            }
            Add(_global, play.TitleId, weight);
            Add(unflushedGlobal, play.TitleId, weight);
            if (!string.IsNullOrEmpty(play.Region))
            {
                if (!ReferenceEquals(play.Region, region))
                {
                    (region, scores, unflushed) = (play.Region, Counts(_regions, play.Region), Counts(_unflushed, play.Region));
                }
                Add(unflushed, play.TitleId, weight);
                Add(scores, play.TitleId, weight);
            }
        }
    }

    private void AddUnflushed(string region, string titleId, double weight) => Add(Counts(_unflushed, region), titleId, weight);

    private void RebaseIfDue(long nowTicks)
    {
        if (HalfLives(nowTicks) > MaxHalfLivesBeforeRebase)
        {
            Rebase(nowTicks);
        }
    }

    /// <summary>Moves the epoch to now, scaling every stored weight, and forgets titles whose score has faded away.</summary>
    private void Rebase(long nowTicks)
    {
        var factor = Math.Pow(2, -HalfLives(nowTicks));
        Rescale(_global, factor);
        foreach (var scores in _regions.Values)
        {
            Rescale(scores, factor);
        }
        foreach (var titles in _unflushed.Values)
        {
            foreach (var titleId in titles.Keys.ToArray())
            {
                titles[titleId] *= factor;
            }
        }
        _epochTicks = nowTicks;
    }

    private double HalfLives(long utcTicks) => (double)(utcTicks - _epochTicks) / options.HalfLife.Ticks;

    /// <summary>The region's counts, created on its first play.</summary>
    private static Dictionary<string, double> Counts(Dictionary<string, Dictionary<string, double>> regions, string region)
    {
        if (!regions.TryGetValue(region, out var scores))
        {
            regions[region] = scores = new Dictionary<string, double>(StringComparer.Ordinal);
        }
        return scores;
    }

    private static void Add(Dictionary<string, double> scores, string titleId, double weight) =>
        CollectionsMarshal.GetValueRefOrAddDefault(scores, titleId, out _) += weight;

    /// <summary>The scores decayed by <paramref name="factor"/>; those under <paramref name="floor"/> are forgotten here too.</summary>
    private static Dictionary<string, double> Scaled(Dictionary<string, double> scores, double factor, double floor)
    {
        var scaled = new Dictionary<string, double>(scores.Count, StringComparer.Ordinal);
        List<string>? faded = null;
        foreach (var (title, score) in scores)
        {
            var now = score * factor;
            if (now < floor)
            {
                (faded ??= []).Add(title);
            }
            else
            {
                scaled[title] = now;
            }
        }
        foreach (var title in faded ?? [])
        {
            scores.Remove(title);
        }
        return scaled;
    }

    private static void Rescale(Dictionary<string, double> scores, double factor)
    {
        foreach (var title in scores.Keys.ToArray())
        {
            var score = scores[title] * factor;
            if (score < Negligible)
            {
                scores.Remove(title);
            }
            else
            {
                scores[title] = score;
            }
        }
    }
}
