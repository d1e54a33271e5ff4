using System.ComponentModel.DataAnnotations;

namespace OpenCdn.Ingest;

/// <summary><c>OpenCdn:Ingest</c>: how a worker transcodes.</summary>
public sealed class IngestOptions
{
    public const string Section = "OpenCdn:Ingest";

    /// <summary>Scratch space for masters and encodes; defaults to <c>{DataFolder}/work</c>. Emptied per job.</summary>
    public string? WorkFolder { get; set; }

    /// <summary>The x264 preset: speed against size at the same quality.</summary>
    [RegularExpression("^(ultrafast|superfast|veryfast|faster|fast|medium|slow|slower|veryslow)$")]
    public string Preset { get; set; } = "veryfast";

    /// <summary>How long a received job stays hidden from other workers; extended every third of it while the job runs.</summary>
    [Range(typeof(TimeSpan), "00:00:03", "12:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Receives of one job after which a failure is final (match the queue's MaxReceives / redrive maxReceiveCount).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The ffmpeg and ffprobe executables' folder; empty means PATH.</summary>
    public string? FfmpegFolder { get; set; }
}
