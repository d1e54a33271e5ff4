using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenCdn.Ingest.Probe;

/// <summary>Reads a stream's transfer and, for HDR10, the peak light its metadata declares.</summary>
internal static class HdrMetadata
{
    /// <summary>What HDR10 without metadata and every HLG master are graded for: a 1,000-nit display.</summary>
    public const double DefaultPeakNits = 1000;

    public static DynamicRange RangeOf(string? transfer) => transfer switch
    {
        "smpte2084" => DynamicRange.Pq,
        "arib-std-b67" => DynamicRange.Hlg,
        _ => DynamicRange.Sdr,
    };

    /// <summary>MaxCLL (content light level), else the mastering display's peak, else 1,000 nits; within 100–10,000.</summary>
    public static double PeakNits(DynamicRange range, IReadOnlyList<IReadOnlyDictionary<string, JsonValue>>? sideData)
    {
        if (range != DynamicRange.Pq)
        {
            return range == DynamicRange.Hlg ? DefaultPeakNits : 100;
        }
        double? maxCll = null, mastering = null;
        foreach (var entry in sideData ?? [])
        {
            if (entry.TryGetValue("max_content", out var cll) && Number(cll) is > 0 and var c)
            {
                maxCll = c;
            }
            if (entry.TryGetValue("max_luminance", out var lum) && Number(lum) is > 0 and var l)
            {
                mastering = l;
            }
        }
        return Math.Clamp(maxCll ?? mastering ?? DefaultPeakNits, 100, 10_000);
    }

    /// <summary>A number ffprobe wrote as a number, a numeric string, or a rational string ("10000000/10000").</summary>
    private static double? Number(JsonValue value)
    {
        if (value.TryGetValue<double>(out var number))
        {
            return number;
        }
        var text = value.TryGetValue<string>(out var s) ? s.Split('/') : [];
        return text.Length switch
        {
            1 when double.TryParse(text[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
            2 when double.TryParse(text[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && double.TryParse(text[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 => n / d,
            _ => null,
        };
    }
}
