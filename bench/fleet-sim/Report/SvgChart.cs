using System.Globalization;
using System.Text;

namespace OpenCdn.FleetSim.Report;

/// <summary>A line chart written as plain SVG (no dependency): numbered axes, one polyline per series, a legend.</summary>
internal sealed class SvgChart(string title, string xLabel, string yLabel)
{
    private const int Width = 760;
    private const int Height = 420;
    private const int Left = 70;
    private const int Right = 170;
    private const int Top = 40;
    private const int Bottom = 50;
    private static readonly string[] Colors = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#7f7f7f"];
    private readonly List<(string Name, (double X, double Y)[] Points, bool Dashed)> _series = [];

    public double? YMin { get; init; }

    public double? YMax { get; init; }

    public bool LogX { get; init; }

    public SvgChart Add(string name, IEnumerable<(double X, double Y)> points, bool dashed = false)
    {
        _series.Add((name, [.. points], dashed));
        return this;
    }

    public string Render()
    {
        var all = _series.SelectMany(s => s.Points).ToArray();
        var xs = all.Select(p => X(p.X)).ToArray();
        var (x0, x1) = (xs.Min(), xs.Max());
        var y0 = YMin ?? Math.Min(0, all.Min(p => p.Y));
        var y1 = YMax ?? Nice(all.Max(p => p.Y));
        x1 = x1 == x0 ? x0 + 1 : x1;
        y1 = y1 == y0 ? y0 + 1 : y1;
        double Px(double x) => Left + ((X(x) - x0) / (x1 - x0) * (Width - Left - Right));
        double Py(double y) => Height - Bottom - ((y - y0) / (y1 - y0) * (Height - Top - Bottom));
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" "))
            .Append(Invariant($"viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"))
            .Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"))
            .Append(Invariant($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n"));
        for (var i = 0; i <= 5; i++)
        {
            var y = y0 + ((y1 - y0) * i / 5);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Py(y):F1}\" x2=\"{Width - Right}\" y2=\"{Py(y):F1}\" stroke=\"#ddd\"/>"))
                .Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Py(y) + 4:F1}\" text-anchor=\"end\">{Format(y)}</text>\n"));
        }
        foreach (var x in all.Select(p => p.X).Distinct().Order().ToArray() is var ticks && ticks.Length <= 12 ? ticks : Spread(ticks))
        {
            svg.Append(Invariant($"<text x=\"{Px(x):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Format(x)}</text>\n"));
        }
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>"))
            .Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"))
            .Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n"))
            .Append(Invariant($"<text transform=\"translate(16 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">"))
            .Append(Invariant($"{Escape(yLabel)}</text>\n"));
        for (var s = 0; s < _series.Count; s++)
        {
            var (name, points, dashed) = _series[s];
            var color = Colors[s % Colors.Length];
            var path = string.Join(' ', points.OrderBy(p => p.X).Select(p => Invariant($"{Px(p.X):F1},{Py(p.Y):F1}")));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{path}\""))
                .Append(dashed ? " stroke-dasharray=\"6 4\"" : "").Append("/>\n");
            var ly = Top + 10 + (s * 20);
            svg.Append(Invariant($"<line x1=\"{Width - Right + 12}\" y1=\"{ly}\" x2=\"{Width - Right + 36}\" y2=\"{ly}\" stroke=\"{color}\" "))
                .Append(Invariant($"stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>"))
                .Append(Invariant($"<text x=\"{Width - Right + 42}\" y=\"{ly + 4}\">{Escape(name)}</text>\n"));
        }
        return svg.Append("</svg>\n").ToString();
    }

    private double X(double x) => LogX ? Math.Log10(x) : x;

    private static double[] Spread(double[] ticks) => [.. Enumerable.Range(0, 7).Select(i => ticks[i * (ticks.Length - 1) / 6])];

    private static double Nice(double max)
    {
        if (max <= 0)
        {
            return 1;
        }
        var step = Math.Pow(10, Math.Floor(Math.Log10(max)));
        return Math.Ceiling(max / step * 2) / 2 * step;
    }

    private static string Format(double v) => Math.Abs(v) >= 100 || v == Math.Round(v) ? Invariant($"{v:0}") : Invariant($"{v:0.##}");

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
