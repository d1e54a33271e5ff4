namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// How one master's picture becomes the video ladder: the rungs, the filters run once on the master before the split
/// (null when none is needed), the ladder's frame rate, and whether HDR was tone-mapped to SDR BT.709.
/// </summary>
internal sealed record VideoPlan(IReadOnlyList<Rung> Rungs, string? MasterFilters, double FrameRate, bool ToneMapped);
