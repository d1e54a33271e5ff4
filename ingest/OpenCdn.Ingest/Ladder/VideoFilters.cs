using System.Globalization;
using OpenCdn.Ingest.Probe;

namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// The video filter graph of the ladder, in one place (bench/transcode mirrors it): the master is decoded once, made
/// right once (deinterlaced or inverse-telecined, black bars cropped, HDR tone-mapped to SDR BT.709), split, and
/// each rung scaled to square pixels at the master's display aspect. FFmpeg rotates the frames itself (autorotate)
/// before the graph; the probe reports the picture the same way, so the sizes here are the sizes on screen.
/// </summary>
internal static class VideoFilters
{
    public static VideoPlan Plan(MasterInfo master)
    {
        var picture = master.Picture;
        var frameRate = picture.Scan.Kind switch
        {
            ScanKind.Interlaced => master.FrameRate * 2, // one frame per field
            ScanKind.Telecined => master.FrameRate * 4 / 5, // 29.97 → 23.976: the repeated fields dropped
            _ => master.FrameRate,
        };
        return new VideoPlan(
            Rung.For(picture.DisplayWidth, picture.DisplayHeight), MasterFilters(picture), frameRate, picture.Range != DynamicRange.Sdr);
    }

    /// <summary>The per-master part: scan, then crop, then tone mapping (on the fewest pixels); null when the master needs none.</summary>
    public static string? MasterFilters(PictureInfo picture)
    {
        string?[] steps = [Deinterlace(picture.Scan), picture.Crop is { } crop ? $"crop={crop}" : null, ToneMap(picture)];
        var chain = string.Join(',', steps.Where(s => s is not null));
        return chain.Length == 0 ? null : chain;
    }

    /// <summary>
    /// The whole <c>-filter_complex</c> graph: master filters, split, one scale per rung (rung i is labelled [v{i}]), and
    /// one more branch for the trick-play thumbnails, labelled [thumbs] (<see cref="Thumbnails"/>): tiled, or for a chunk
    /// (<paramref name="chunk"/>) untiled. With AV1, each rung's scaled picture is split once more: [v{i}] for H.264 and
    /// [a{i}] for AV1.
    /// </summary>
    public static string Graph(VideoPlan plan, FrameRange? chunk = null)
    {
        var head = $"[0:v:0]{(plan.MasterFilters is { } filters ? filters + "," : "")}split={plan.Rungs.Count + 1}"
            + string.Concat(plan.Rungs.Select((_, i) => $"[s{i}]")) + "[sthumbs]";
        // Explicit sizes: the pixel shape (SAR) and any crop are folded into one scale per rung, and setsar=1 says so.
        var scales = plan.Rungs.Select((r, i) => $"[s{i}]scale={r.Width}:{r.Height}:flags=bicubic,setsar=1"
            + (plan.Av1 is null ? $"[v{i}]" : $",split=2[v{i}][a{i}]"));
        var thumbnails = chunk is null ? Thumbnails.Filter("[sthumbs]", "[thumbs]") : Thumbnails.Cells("[sthumbs]", "[thumbs]", chunk.LeadSeconds);
        return string.Join(';', [head, .. scales, thumbnails]);
    }

    /// <summary>The poster's filters: the same per-master work, then <paramref name="width"/> wide at the display aspect.</summary>
    public static string Poster(VideoPlan plan, int width)
    {
        var top = plan.Rungs[0];
        var height = Math.Max(2, (int)Math.Round(width * (double)top.Height / top.Width / 2, MidpointRounding.AwayFromZero) * 2);
        return $"{(plan.MasterFilters is { } filters ? filters + "," : "")}scale={width}:{height}:flags=bicubic,setsar=1";
    }

    /// <summary>Output options per video rendition: a tone-mapped ladder is tagged BT.709, so players do not guess.</summary>
    public static IReadOnlyList<string> OutputTags(VideoPlan plan) => plan.ToneMapped
        ? ["-color_primaries:v", "bt709", "-color_trc:v", "bt709", "-colorspace:v", "bt709", "-color_range:v", "tv"]
        : [];

    /// <summary>
    /// True interlace: one frame per field (<c>send_field</c>: 25i → 50p). Telecine: fields matched back into film
    /// frames, the odd frame still combed deinterlaced, and the one repeated frame in five dropped (29.97 → 23.976).
    /// </summary>
    private static string? Deinterlace(Scan scan)
    {
        var parity = scan.TopFieldFirst ? "tff" : "bff";
        return scan.Kind switch
        {
            ScanKind.Interlaced => $"bwdif=mode=send_field:parity={parity}:deint=all",
            // combmatch=full: fieldmatch flags what it could not match as interlaced, and only those frames go through bwdif.
            ScanKind.Telecined => $"fieldmatch=order={parity}:combmatch=full,bwdif=mode=send_frame:parity={parity}:deint=interlaced,decimate",
            _ => null,
        };
    }

    /// <summary>
    /// PQ or HLG to SDR BT.709: to linear light (1.0 = 100 nits), BT.2020 to BT.709 primaries, Hable's curve from the
    /// master's peak, back to the BT.709 transfer and matrix in limited range, 8-bit. <c>setparams</c> states what the
    /// probe found, so a master whose frames lack the tags still converts.
    /// </summary>
    private static string? ToneMap(PictureInfo picture)
    {
        if (picture.Range == DynamicRange.Sdr)
        {
            return null;
        }
        var transfer = picture.Range == DynamicRange.Pq ? "smpte2084" : "arib-std-b67";
        var peak = (picture.PeakNits / 100).ToString("0.##", CultureInfo.InvariantCulture);
        return $"setparams=color_primaries=bt2020:color_trc={transfer}:colorspace=bt2020nc,"
            + "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
            + $"tonemap=tonemap=hable:desat=0:peak={peak},zscale=t=bt709:m=bt709:r=tv,format=yuv420p";
    }
}
