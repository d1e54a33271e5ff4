using System.Globalization;
using OpenCdn.Ingest.Ladder;

namespace OpenCdn.Ingest.Probe;

/// <summary>
/// Decodes a few seconds of the master once, through <c>idet</c> (is it interlaced or telecined, whatever the flags
/// say) and <c>cropdetect</c> (black bars), as ffmpeg will show it to the ladder (rotation applied).
/// </summary>
internal static class PictureSampler
{
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(5);

    public sealed record Sample(IdetCounts Idet, IReadOnlyList<string> Log);

    public static async Task<Sample> RunAsync(string ffmpeg, string master, TimeSpan duration, CancellationToken cancellationToken)
    {
        var log = new List<string>();
        await FfmpegProcess.RunAsync(ffmpeg, Arguments(master, duration), null, line =>
        {
            lock (log)
            {
                log.Add(line);
            }
        }, cancellationToken);
        lock (log)
        {
            return new Sample(IdetCounts.Parse(log), log.ToList());
        }
    }

    /// <summary>A third of the way in (past logos and titles; at most 10 minutes in), or from the start of a short master.</summary>
    public static IReadOnlyList<string> Arguments(string master, TimeSpan duration)
    {
        var start = Math.Max(0, Math.Min(Math.Min(duration.TotalSeconds * 0.3, 600), duration.TotalSeconds - Length.TotalSeconds));
        return ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "info",
            "-ss", start.ToString("0.###", CultureInfo.InvariantCulture), "-t", Length.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "-i", master, "-map", "0:v:0", "-an", "-sn", "-dn",
            // rep_thres 1.5 (not 3): 3:2 pulldown's repeated fields still count after a lossy progressive encode.
            // limit as a fraction of full scale, so 10-bit black (64) is black too; reset=0 keeps the union of picture seen.
            "-vf", "idet=rep_thres=1.5,cropdetect=limit=0.094:round=2:reset=0", "-f", "null", "-"];
    }
}
