using System.ComponentModel.DataAnnotations;

namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// <c>OpenCdn:Ingest:PerTitle</c>: the per-title ladder. Each rung's bitrate is the one its sampled rate–quality curve
/// says reaches <see cref="TargetSsim"/>, between <see cref="FloorKbps"/> and the rung's share of <see cref="CeilingKbps"/>.
/// </summary>
public sealed class PerTitleOptions : IValidatableObject
{
    public const string Section = IngestOptions.Section + ":PerTitle";

    /// <summary>False: every title gets the fixed ladder (1080p 5000k … 240p 300k).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The quality every rung aims for: luma SSIM against the master at the rung's own size (as x264 measures it).</summary>
    [Range(0.9, 0.9999)]
    public double TargetSsim { get; set; } = 0.995;

    /// <summary>The top (1080p) rung's most; lower rungs get the same share of it as in the fixed ladder (720p: 60 %).</summary>
    [Range(500, 100_000)]
    public int CeilingKbps { get; set; } = 8000;

    /// <summary>No rung gets less.</summary>
    [Range(50, 10_000)]
    public int FloorKbps { get; set; } = 150;

    /// <summary>Share of the master's duration the analysis encodes (per rung and CRF), between 1 s and 12 s in all: its cost.</summary>
    [Range(0.01, 0.5)]
    public double SampleFraction { get; set; } = 0.02;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FloorKbps * 2 > CeilingKbps)
        {
            yield return new ValidationResult(
                $"{Section}:FloorKbps ({FloorKbps}) must be at most half of CeilingKbps ({CeilingKbps}).",
                [nameof(FloorKbps), nameof(CeilingKbps)]);
        }
    }
}
