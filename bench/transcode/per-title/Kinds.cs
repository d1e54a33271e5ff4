namespace OpenCdn.PerTitle.Bench;

/// <summary>The four kinds of master (the same lavfi graphs as tests/OpenCdn.Ingest.Tests/PerTitle/ContentKind.cs), 25 fps.</summary>
internal static class Kinds
{
    public static IReadOnlyList<(string Name, string Graph)> All(int w, int h) =>
    [
        ("slides", $"testsrc2=size={w}x{h}:rate=1,fps=25"),
        ("talking-head", $"gradients=size={w}x{h}:rate=25:speed=0.00001:c0=0x304060:c1=0xa08070[bg];"
            + $"mandelbrot=size={w / 6}x{w / 6}:rate=25[face];[bg][face]overlay={w * 5 / 12}:{h / 4},format=yuv420p"),
        ("animation", $"color=c=0x3060c0:size={w}x{h}:rate=25[bg];color=c=0xf0d020:size={w / 5}x{w / 5}:rate=25[a];"
            + $"color=c=0xd03040:size={w / 8}x{h / 2}:rate=25[b];[bg][a]overlay=x='{w / 20}+mod(t,4)*{w / 4}':y={h / 5}[t];"
            + $"[t][b]overlay=x='{w * 3 / 4}-mod(t,5)*{w / 6}':y='{h * 2 / 5}+{h / 10}*sin(t*3)',format=yuv420p"),
        ("grain", $"testsrc2=size={w}x{h}:rate=25,noise=alls=20:allf=t+u"),
    ];
}
