using System.ComponentModel.DataAnnotations;

namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// <c>OpenCdn:Ingest:Av1</c>: a second, AV1 ladder beside the H.264 one (SVT-AV1). Off by default: it costs encode CPU.
/// Each AV1 rung is capped CRF: <see cref="Crf"/> sets the quality, and the bitrate may not pass
/// <see cref="BitrateShare"/> of its H.264 rung's (so a per-title ladder carries over).
/// </summary>
public sealed class Av1Options
{
    public const string Section = "OpenCdn:Ingest:Av1";

    /// <summary>Encode the AV1 ladder too.</summary>
    public bool Enabled { get; set; }

    /// <summary>SVT-AV1 preset: 0 slowest and smallest, 13 fastest; 10 keeps up with x264 veryfast on a small machine.</summary>
    [Range(0, 13)]
    public int Preset { get; set; } = 10;

    /// <summary>SVT-AV1 constant rate factor (quality; lower is better and larger).</summary>
    [Range(1, 63)]
    public int Crf { get; set; } = 35;

    /// <summary>The most an AV1 rung may spend, as a share of its H.264 rung's bitrate.</summary>
    [Range(0.1, 1.0)]
    public double BitrateShare { get; set; } = 0.6;
}
