namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// How one master's picture becomes the video ladder: the rungs, the filters run once on the master before the split
/// (null when none is needed), the ladder's frame rate, and whether HDR was tone-mapped to SDR BT.709. With
/// <see cref="Av1"/>, every rung is also encoded in AV1 from the same scaled picture.
/// </summary>
internal sealed record VideoPlan(
    IReadOnlyList<Rung> Rungs, string? MasterFilters, double FrameRate, bool ToneMapped, Av1Encoding? Av1 = null);
