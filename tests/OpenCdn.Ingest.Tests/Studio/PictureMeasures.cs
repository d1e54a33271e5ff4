using System.Globalization;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests.Studio;

/// <summary>What a viewer would see in a rendition, measured with Debian's ffprobe and ffmpeg filters.</summary>
internal static class PictureMeasures
{
    public sealed record VideoStream(
        int Width, int Height, string SampleAspect, string FrameRate, string PixelFormat, string Primaries, string Transfer, string Matrix,
        bool Rotated);

    public static async Task<VideoStream> StreamAsync(string file)
    {
        var json = await Ffmpeg.ProbeAsync("-select_streams", "v:0", "-show_entries",
            "stream=width,height,sample_aspect_ratio,r_frame_rate,pix_fmt,color_primaries,color_transfer,color_space:stream_side_data=rotation",
            "-of", "json", file);
        var stream = JsonDocument.Parse(json).RootElement.GetProperty("streams")[0];
        var rotated = stream.TryGetProperty("side_data_list", out var sides)
            && sides.EnumerateArray().Any(s => s.TryGetProperty("rotation", out var r) && r.GetInt32() != 0);
        return new VideoStream(stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32(),
            Text(stream, "sample_aspect_ratio"), Text(stream, "r_frame_rate"), Text(stream, "pix_fmt"),
            Text(stream, "color_primaries"), Text(stream, "color_transfer"), Text(stream, "color_space"), rotated);
    }

    /// <summary>The share of frames idet calls interlaced (TFF or BFF, multi-frame verdict): combing a viewer would see.</summary>
    public static async Task<double> InterlacedShareAsync(string file)
    {
        var verdicts = (await Ffmpeg.RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", file, "-map", "0:v:0",
            "-vf", "idet,metadata=mode=print:key=lavfi.idet.multiple.current_frame:file=-", "-f", "null", "-"]))
            .Split('\n').Where(l => l.Contains("current_frame=", StringComparison.Ordinal)).Select(l => l.Split('=')[1].Trim()).ToList();
        Assert.NotEmpty(verdicts);
        return (double)verdicts.Count(v => v is "tff" or "bff") / verdicts.Count;
    }

    /// <summary>Mean luma (8-bit code values) of a region (an ffmpeg crop expression) over all frames, after <paramref name="convert"/>.</summary>
    public static async Task<double> MeanLumaAsync(string file, string crop, string convert = "format=yuv420p")
    {
        var values = (await Ffmpeg.RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", file, "-map", "0:v:0",
            "-vf", $"crop={crop},{convert},signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:file=-", "-f", "null", "-"]))
            .Split('\n').Where(l => l.Contains("YAVG=", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split('=')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(values);
        return values.Average();
    }

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
}
