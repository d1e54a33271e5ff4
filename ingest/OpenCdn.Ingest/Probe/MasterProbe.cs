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
        var audio = analysis.PrimaryAudioStream;
        var language = audio?.Language is { Length: >= 2 and <= 8 } tag && tag.All(char.IsAsciiLetterLower) ? tag : "und";
        return new MasterInfo(
            duration,
            rotated ? video.Height.Value : video.Width.Value,
            rotated ? video.Width.Value : video.Height.Value,
            frameRate,
            audio is not null,
            language);
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? message;
        return line.Length > 300 ? line[..300] : line;
    }
}
