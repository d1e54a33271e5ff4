namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// Where the analysis looks: up to three scenes spread evenly over the master (centred at 1/6, 3/6 and 5/6 of it),
/// together <c>fraction</c> of its duration, at least 1 s and at most 12 s, each scene at least 2 s when there is room.
/// </summary>
internal sealed record SampleScenes(IReadOnlyList<(double Start, double Length)> Scenes)
{
    public const int MaxScenes = 3;

    public double TotalSeconds => Scenes.Sum(s => s.Length);

    public static SampleScenes For(TimeSpan duration, double fraction)
    {
        var seconds = duration.TotalSeconds;
        var total = Math.Min(seconds, Math.Clamp(seconds * fraction, 1, 12));
        var count = Math.Clamp((int)(total / 2), 1, MaxScenes);
        var length = total / count;
        var scenes = Enumerable.Range(0, count)
            .Select(i => (Math.Clamp(((i + 0.5) * seconds / count) - (length / 2), 0, Math.Max(0, seconds - length)), length))
            .ToList();
        return new SampleScenes(scenes);
    }
}
