using System.Globalization;
using FFMpegCore;
using OpenCdn.Contracts.Packages;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;

namespace OpenCdn.Ingest.Packaging;

/// <summary>Describes the encoded files of one title as a <see cref="PackageManifest"/>.</summary>
internal static class PackageBuilder
{
    public static async Task<PackageManifest> BuildAsync(
        string titleId, int version, string folder, MasterInfo master, VideoPlan ladder, FFOptions ffmpeg,
        CancellationToken cancellationToken)
    {
        var representations = new List<Representation>();
        foreach (var rung in ladder.Rungs)
        {
            representations.Add(await DescribeAsync(folder, rung.Id, rung.FileName, rung.Kbps, master, ladder, ffmpeg, cancellationToken));
        }
        if (ladder.Av1 is { } av1)
        {
            foreach (var rung in ladder.Rungs)
            {
                representations.Add(await DescribeAsync(folder, Av1Encoding.IdOf(rung), Av1Encoding.FileNameOf(rung), av1.MaxKbps(rung),
                    master, ladder, ffmpeg, cancellationToken));
            }
        }
        representations.Add(await ThumbnailSet.DescribeAsync(folder, master.Duration, cancellationToken));
        return new PackageManifest(titleId, version, Math.Round(master.Duration.TotalSeconds, 3), representations);
    }

    private static async Task<Representation> DescribeAsync(string folder, string id, string file, int kbps, MasterInfo master,
        VideoPlan ladder, FFOptions ffmpeg, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, file);
        var layout = await RenditionInspector.InspectAsync(path, cancellationToken);
        var video = (await FFProbe.AnalyseAsync(path, ffmpeg, cancellationToken: cancellationToken)).PrimaryVideoStream
            ?? throw new InvalidDataException($"{file} has no video stream.");
        return new Representation(
            id, MediaKind.Video, file, "video/mp4", layout.Codecs, BandwidthOf(layout.Size, master.Duration, kbps * 1000),
            layout.Size, layout.Sha256, layout.InitRange, layout.IndexRange, layout.Timescale,
            // B-frames delay the first picture; the offset puts it at time 0, in step with audio.
            (long)Math.Round(video.StartTime.TotalSeconds * layout.Timescale),
            Width: video.Width, Height: video.Height, FrameRate: FrameRate(ladder.FrameRate));
    }

    /// <summary>The MPD's bandwidth: the larger of the target and the file's real average rate, so players never underestimate.</summary>
    private static int BandwidthOf(long size, TimeSpan duration, int target) =>
        (int)Math.Max(target, size * 8 / Math.Max(1, duration.TotalSeconds));

    /// <summary>A frame rate as the MPD writes it: "25", "30000/1001"; null when it is neither whole nor NTSC.</summary>
    internal static string? FrameRate(double fps)
    {
        if (Math.Abs(fps - Math.Round(fps)) < 0.01)
        {
            return Math.Round(fps).ToString(CultureInfo.InvariantCulture);
        }
        var ntsc = Math.Round(fps * 1.001);
        return Math.Abs(fps * 1.001 - ntsc) < 0.01 ? $"{(ntsc * 1000).ToString(CultureInfo.InvariantCulture)}/1001" : null;
    }
}
