using System.Globalization;

namespace OpenCdn.Ingest.Probe;

/// <summary>A positive ratio as ffprobe writes it ("64:45"); <see cref="Square"/> when absent, zero or unreadable.</summary>
internal readonly record struct Ratio(int Num, int Den)
{
    public static Ratio Square { get; } = new(1, 1);

    public double Value => (double)Num / Den;

    public Ratio Inverse => new(Den, Num);

    public static Ratio Parse(string? text)
    {
        var parts = (text ?? "").Split(':', '/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var num)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var den)
            && num > 0 && den > 0 && (double)num / den is > 0.1 and < 10
                ? new Ratio(num, den)
                : Square;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Num}:{Den}");
}
