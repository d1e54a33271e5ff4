namespace OpenCdn.Steering.Popularity;

/// <summary>
/// Counts plays per title, globally and per region, with exponential decay. Decisions only enqueue (lock-free, no allocation);
/// <see cref="Snapshot"/> folds the queue in and returns decayed scores. A play at time t is stored as
/// 2^((t − epoch)/halfLife), so decay costs nothing until read; the epoch moves forward before the numbers grow large.
/// </summary>
internal sealed class PopularityTracker(PopularityOptions options, TimeProvider time)
{
    private const double MaxHalfLivesBeforeRebase = 256;
    private const double Negligible = 1e-6;

    private readonly PlayQueue _pending = new(options.MaxPending);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _global = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, double>> _regions = new(StringComparer.Ordinal);
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

    /// <summary>Folds pending plays in and returns every score decayed to now.</summary>
    public PopularityView Snapshot()
    {
        lock (_gate)
        {
            FoldPending();
            var now = time.GetUtcNow();
            if (HalfLives(now.UtcTicks) > MaxHalfLivesBeforeRebase)
            {
                Rebase(now.UtcTicks);
            }
            var factor = Math.Pow(2, -HalfLives(now.UtcTicks));
            var regions = new Dictionary<string, Dictionary<string, double>>(_regions.Count, StringComparer.Ordinal);
            foreach (var (region, scores) in _regions)
            {
                regions[region] = Scaled(scores, factor);
            }
            return new PopularityView(now, options, Scaled(_global, factor), regions);
        }
    }

    private void FoldPending()
    {
        while (_pending.TryDequeue(out var play))
        {
            var weight = Math.Pow(2, HalfLives(play.UtcTicks));
            Add(_global, play.TitleId, weight);
            if (play.Region is not null)
            {
                if (!_regions.TryGetValue(play.Region, out var scores))
                {
                    _regions[play.Region] = scores = new Dictionary<string, double>(StringComparer.Ordinal);
                }
                Add(scores, play.TitleId, weight);
            }
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
        _epochTicks = nowTicks;
    }

    private double HalfLives(long utcTicks) => (double)(utcTicks - _epochTicks) / options.HalfLife.Ticks;

    private static void Add(Dictionary<string, double> scores, string titleId, double weight) =>
        scores[titleId] = scores.GetValueOrDefault(titleId) + weight;

    private static Dictionary<string, double> Scaled(Dictionary<string, double> scores, double factor)
    {
        var scaled = new Dictionary<string, double>(scores.Count, StringComparer.Ordinal);
        foreach (var (title, score) in scores)
        {
            scaled[title] = score * factor;
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
