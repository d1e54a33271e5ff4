namespace OpenCdn.Ingest.Tests.PerTitle;

/// <summary>
/// The four kinds of synthetic master the per-title ladder is judged on (bench/transcode/per-title.sh makes the same):
/// an FFmpeg lavfi graph each, 25 fps.
/// </summary>
public sealed record ContentKind(string Name, int Width, int Height, string Graph)
{
    /// <summary>A new picture every second, still in between: a slide deck.</summary>
    public static ContentKind Slides(int width, int height) =>
        new("slides", width, height, $"testsrc2=size={width}x{height}:rate=1,fps=25");

    /// <summary>A still background with a small busy region: a talking head.</summary>
    public static ContentKind TalkingHead(int width, int height) =>
        new("talking-head", width, height, $"gradients=size={width}x{height}:rate=25:speed=0.00001:c0=0x304060:c1=0xa08070[bg];"
            + $"mandelbrot=size={width / 6}x{width / 6}:rate=25[face];[bg][face]overlay={width * 5 / 12}:{height / 4},format=yuv420p");

    /// <summary>Flat-coloured shapes moving over a flat background: animation.</summary>
    public static ContentKind Animation(int width, int height) =>
        new("animation", width, height, $"color=c=0x3060c0:size={width}x{height}:rate=25[bg];"
            + $"color=c=0xf0d020:size={width / 5}x{width / 5}:rate=25[a];color=c=0xd03040:size={width / 8}x{height / 2}:rate=25[b];"
            + $"[bg][a]overlay=x='{width / 20}+t*{width / 4}':y={height / 5}[t];"
            + $"[t][b]overlay=x='{width * 3 / 4}-t*{width / 6}':y='{height * 2 / 5}+{height / 10}*sin(t*3)',format=yuv420p");

    /// <summary>A moving test pattern under strong temporal grain: the hardest picture to compress.</summary>
    public static ContentKind Grain(int width, int height) =>
        new("grain", width, height, $"testsrc2=size={width}x{height}:rate=25,noise=alls=20:allf=t+u");

    /// <summary>Renders <paramref name="seconds"/> of it into a near-lossless H.264 master.</summary>
    public IReadOnlyList<string> MasterArguments(string path, double seconds) =>
        ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", Graph,
            "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-pix_fmt", "yuv420p", path];
}
