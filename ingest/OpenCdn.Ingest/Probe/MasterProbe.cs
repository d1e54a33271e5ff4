using FFMpegCore;
using FFMpegCore.Exceptions;

namespace OpenCdn.Ingest.Probe;

/// <summary>Probes a master with ffprobe (FFMpegCore) and refuses, with a reason a person can act on, what cannot be encoded.</summary>
internal static class MasterProbe
{
    public static async Task<MasterInfo> ProbeAsync(string path, FFOptions ffmpeg, CancellationToken cancellationToken)
    {
        if (new FileInfo(path).Length == 0)
        {
            throw new MasterRejectedException("The uploaded master is empty (0 bytes).");
        }
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, ffmpeg, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is FFMpegException or FormatException or System.Text.Json.JsonException)
        {
            throw new MasterRejectedException(
                "The master is not a media file FFmpeg can read (unknown format, or a truncated or damaged container): " + FirstLine(e.Message), e);
        }
        var video = analysis.PrimaryVideoStream
            ?? throw new MasterRejectedException("The master has no video stream.");
        var duration = analysis.Duration > TimeSpan.Zero ? analysis.Duration : video.Duration;
        if (duration <= TimeSpan.Zero)
        {
            throw new MasterRejectedException("The master has zero duration.");
        }
        if (video.Width is not > 0 || video.Height is not > 0)
        {
            throw new MasterRejectedException($"The master's video stream ({video.CodecName}) has no picture size; it cannot be decoded.");
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
