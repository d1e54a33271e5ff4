namespace OpenCdn.Steering.Popularity;

/// <summary>Plays counted since the last hand-over, as counts decayed to <see cref="At"/>.</summary>
internal sealed record PopularityDelta(DateTimeOffset At, PopularityCount[] Counts);
