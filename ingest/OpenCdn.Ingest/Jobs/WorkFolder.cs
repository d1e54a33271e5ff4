using FFMpegCore;
using Microsoft.Extensions.Options;
using OpenCdn.Platform;

namespace OpenCdn.Ingest.Jobs;

/// <summary>The worker's scratch space (one folder per title, cleared after the job) and where ffmpeg is.</summary>
internal sealed class WorkFolder(IOptions<IngestOptions> ingest, IOptions<PlatformOptions> platform)
{
    /// <summary>The scratch root: one folder per job, and this worker's master cache (<see cref="MasterCacheFolder"/>).</summary>
    public string Root { get; } = Path.GetFullPath(ingest.Value.WorkFolder ?? Path.Combine(platform.Value.DataFolder, "work"));

    public FFOptions FfOptions { get; } = new() { BinaryFolder = ingest.Value.FfmpegFolder ?? "" };

    public string Ffmpeg => string.IsNullOrEmpty(ingest.Value.FfmpegFolder) ? "ffmpeg" : Path.Combine(ingest.Value.FfmpegFolder, "ffmpeg");

    public string Ffprobe => string.IsNullOrEmpty(ingest.Value.FfmpegFolder) ? "ffprobe" : Path.Combine(ingest.Value.FfmpegFolder, "ffprobe");

    /// <summary>A fresh, empty folder for the title (what an interrupted run left is removed first).</summary>
    public string Create(string titleId)
    {
        Clear(titleId);
        return Directory.CreateDirectory(PathOf(titleId)).FullName;
    }

    public void Clear(string titleId)
    {
        if (Directory.Exists(PathOf(titleId)))
        {
            Directory.Delete(PathOf(titleId), recursive: true);
        }
    }

    private string PathOf(string titleId) =>
        titleId.All(char.IsAsciiLetterOrDigit) ? Path.Combine(Root, titleId) : throw new ArgumentException("Not a title id.", nameof(titleId));
}
