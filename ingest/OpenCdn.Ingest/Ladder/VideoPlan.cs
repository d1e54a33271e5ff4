namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// How one master's picture becomes the video ladder: the rungs, the filters run once on the master before the split
/// (null when none is needed), the ladder's frame rate, and whether HDR was tone-mapped to SDR BT.709. With
/// <see cref="Av1"/>, every rung is also encoded in AV1 from the same scaled picture.
/// </summary>
internal sealed record VideoPlan(
    IReadOnlyList<Rung> Rungs, string? MasterFilters, double FrameRate, bool ToneMapped, Av1Encoding? Av1 = null)
{
    /// <summary>Every video rendition's file: each rung's H.264, then (with AV1) each rung's AV1.</summary>
    public IEnumerable<string> VideoFiles() =>
        [.. Rungs.Select(r => r.FileName), .. Av1 is null ? [] : Rungs.Select(Av1Encoding.FileNameOf)];
}
