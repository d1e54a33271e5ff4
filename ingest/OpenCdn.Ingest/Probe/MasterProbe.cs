using FFMpegCore;
using FFMpegCore.Exceptions;
using OpenCdn.Ingest.Jobs;

namespace OpenCdn.Ingest.Probe;

/// <summary>Probes a master with ffprobe (FFMpegCore) and refuses, with a reason a person can act on, what cannot be encoded.</summary>
internal static class MasterProbe
{
    public static async Task<MasterInfo> ProbeAsync(string path, FFOptions ffmpeg, CancellationToken cancellationToken)
    {
        if (new FileInfo(path).Length == 0)
        {
            throw new MasterRejectedException(FailureKind.EmptyMaster, $"{path} is empty");
        }
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, ffmpeg, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is FFMpegException or FormatException or System.Text.Json.JsonException)
        {
            throw new MasterRejectedException(FailureKind.NotMedia, "ffprobe could not read the master: " + FirstLine(e.Message), e);
        }
        var video = analysis.PrimaryVideoStream
            ?? throw new MasterRejectedException(FailureKind.NoVideo, "no video stream");
        var duration = analysis.Duration > TimeSpan.Zero ? analysis.Duration : video.Duration;
        if (duration <= TimeSpan.Zero)
        {
            throw new MasterRejectedException(FailureKind.ZeroDuration, "zero duration");
        }
        if (video.Width is not > 0 || video.Height is not > 0)
        {
            throw new MasterRejectedException(FailureKind.NoPictureSize, $"the video stream ({video.CodecName}) has no picture size");
        }
        var rotated = Math.Abs(video.Rotation) % 180 == 90;
        var frameRate = video.RealFrameRate is > 0 and < 1000 ? video.RealFrameRate : video.AverageFrameRate;
        var picture = await PictureOfAsync(path, video, rotated, frameRate, duration, ffmpeg, cancellationToken);
        var audio = analysis.PrimaryAudioStream;
        return new MasterInfo(
            duration,
            rotated ? video.Height.Value : video.Width.Value,
            rotated ? video.Width.Value : video.Height.Value,
            frameRate,
            audio is not null,
            picture);
    }

    /// <summary>
    /// The picture as shown (rotation applied: autorotation turns the frames, and with them the pixel shape), its scan
    /// and black bars from a sample decode, its dynamic range.
    /// </summary>
    private static async Task<PictureInfo> PictureOfAsync(
        string path, VideoStream video, bool rotated, double frameRate, TimeSpan duration, FFOptions ffmpeg, CancellationToken cancellationToken)
    {
        var width = rotated ? video.Height!.Value : video.Width!.Value;
        var height = rotated ? video.Width!.Value : video.Height!.Value;
        var sar = video.SampleAspectRatio is ( > 0, > 0) sa ? Ratio.Parse($"{sa.Width}:{sa.Height}") : Ratio.Square;
        var range = HdrMetadata.RangeOf(video.ColorTransfer);
        var sample = await PictureSampler.RunAsync(GlobalFFOptions.GetFFMpegBinaryPath(ffmpeg), path, duration, cancellationToken);
        return new PictureInfo(
            width, height, rotated ? sar.Inverse : sar,
            ScanDetector.Decide(FieldOrders.Parse(video.FieldOrder), sample.Idet, frameRate),
            CropBox.Decide(sample.Log, width, height),
            range, HdrMetadata.PeakNits(range, video.SideData));
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? message;
        return line.Length > 300 ? line[..300] : line;
    }
}
