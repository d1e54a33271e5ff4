using System.ComponentModel.DataAnnotations;
using OpenCdn.Ingest.Ladder;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// <c>OpenCdn:Ingest:Chunking</c>: when a title is encoded by many workers at once. A master longer than
/// <see cref="ThresholdSeconds"/> is cut into chunks of <see cref="ChunkSeconds"/>, each a queue job any worker takes.
/// </summary>
public sealed class ChunkingOptions : IValidatableObject
{
    public const string Section = "OpenCdn:Ingest:Chunking";

    /// <summary>Masters longer than this are encoded in chunks; 0 turns chunking off (every master in one pass).</summary>
    [Range(0, 86_400)]
    public int ThresholdSeconds { get; set; } = 600;

    /// <summary>The length of a chunk: a multiple of the 4-s segment, so chunks meet at fragment boundaries.</summary>
    [Range(LadderArguments.SegmentSeconds, 3_600)]
    public int ChunkSeconds { get; set; } = 60;

    /// <summary>
    /// The most bytes of masters a worker keeps between the parts it takes (<see cref="MasterCache"/>); a larger master is
    /// fetched for each part as it comes.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MasterCacheBytes { get; set; } = 64L << 30;

    /// <summary>A cached master unused this long is dropped (its title normally drops it first, once ready).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan MasterCacheIdle { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ChunkSeconds % LadderArguments.SegmentSeconds != 0)
        {
            yield return new ValidationResult(
                $"OpenCdn:Ingest:Chunking:ChunkSeconds must be a multiple of the {LadderArguments.SegmentSeconds}-s segment (got {ChunkSeconds}).",
                [nameof(ChunkSeconds)]);
        }
        if (ThresholdSeconds > 0 && ThresholdSeconds < ChunkSeconds)
        {
            yield return new ValidationResult(
                $"OpenCdn:Ingest:Chunking:ThresholdSeconds ({ThresholdSeconds}) must be 0 (off) or at least ChunkSeconds ({ChunkSeconds}).",
                [nameof(ThresholdSeconds)]);
        }
    }
}
