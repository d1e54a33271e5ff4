using System.Globalization;

namespace OpenCdn.Testing;

/// <summary>Runs Debian's ffmpeg and ffprobe for tests: generating masters and checking what the pipeline made.</summary>
public static class Ffmpeg
{
    /// <summary>A synthetic master: a test pattern with a moving element, and a tone when <paramref name="audioChannels"/> &gt; 0.</summary>
    public static async Task<string> GenerateMasterAsync(string path, int width, int height, string frameRate, double seconds, int audioChannels)
    {
        var duration = seconds.ToString(CultureInfo.InvariantCulture);
        List<string> args = ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
            $"testsrc2=size={width}x{height}:rate={frameRate}:duration={duration}"];
        if (audioChannels > 0)
        {
            var layout = audioChannels == 6 ? "5.1" : audioChannels == 1 ? "mono" : "stereo";
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=44100:duration={duration},aformat=channel_layouts={layout}"]);
        }
        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]);
        args.AddRange(audioChannels > 0 ? ["-c:a", "aac"] : ["-an"]);
        args.Add(path);
        await RunAsync("ffmpeg", args);
        return path;
    }

    /// <summary>Runs ffprobe and returns what it printed on stdout.</summary>
    public static Task<string> ProbeAsync(params string[] args) => RunAsync("ffprobe", ["-v", "error", .. args]);

    /// <summary>Presentation times (seconds) of the video keyframes in a file or URL.</summary>
    public static async Task<IReadOnlyList<double>> KeyframeTimesAsync(string input)
    {
        var output = await ProbeAsync("-select_streams", "v:0", "-skip_frame", "nokey", "-show_entries", "frame=pts_time", "-of", "csv=p=0", input);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => double.Parse(line.TrimEnd(','), CultureInfo.InvariantCulture)).ToList();
    }

    public static Task<string> RunAsync(string tool, IEnumerable<string> args) => ChildProcess.RunAsync(tool, args);
}
