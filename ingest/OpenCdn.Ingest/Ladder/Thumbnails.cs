using System.Globalization;

namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// Trick-play thumbnails, made by the ladder's one ffmpeg command from the same decoded picture as the renditions: the
/// first frame of every <see cref="IntervalSeconds"/>-second interval, scaled to fit <see cref="MaxSide"/> px at the
/// picture's display aspect with square pixels (anamorphic and portrait masters too), laid out
/// <see cref="Columns"/> x <see cref="Rows"/> in JPEG tiles <c>thumbs_1.jpg</c>, <c>thumbs_2.jpg</c>, ...
/// </summary>
internal static class Thumbnails
{
    public const int IntervalSeconds = 4;
    public const int Columns = 10;
    public const int Rows = 10;
    public const int MaxSide = 160;
    public const string FilePrefix = "thumbs_";

    /// <summary>The master seconds one tile file covers.</summary>
    public const int TileSeconds = IntervalSeconds * Columns * Rows;

    /// <summary>The tiles' name template, as the MPD's SegmentTemplate writes it.</summary>
    public const string FileTemplate = FilePrefix + "$Number$.jpg";

    /// <summary>
    /// The filter chain from <paramref name="input"/> (a branch of the ladder's split) to <paramref name="output"/>. The
    /// select keeps the first frame of each interval (exactly one per interval holding a frame, so the count covers the
    /// duration); <c>dar</c> is the input's display aspect ratio, so the thumbnail keeps the shape the viewer sees.
    /// </summary>
    public static string Filter(string input, string output)
    {
        var every = IntervalSeconds.ToString(CultureInfo.InvariantCulture);
        var side = MaxSide.ToString(CultureInfo.InvariantCulture);
        return $"{input}select='if(isnan(prev_selected_t)\\,1\\,gt(floor(t/{every})\\,floor(prev_selected_t/{every})))',"
            + $"scale=w='if(gte(dar\\,1)\\,{side}\\,2*trunc({side}*dar/2))':h='if(gte(dar\\,1)\\,2*trunc({side}/dar/2)\\,{side})'"
            + $":flags=bicubic,setsar=1,format=yuvj420p,tile={Columns}x{Rows}{output}";
    }

    /// <summary>The output options for the tiles, after <c>-map {output}</c>.</summary>
    public static IReadOnlyList<string> Output(string outputFolder, int firstFile = 1) =>
        // passthrough: one file per tile (the default for image files would repeat tiles to fill a constant frame rate).
        ["-c:v", "mjpeg", "-q:v", "5", "-fps_mode:v", "passthrough", "-map_metadata", "-1", "-f", "image2",
            "-start_number", firstFile.ToString(CultureInfo.InvariantCulture),
            Path.Combine(outputFolder, FilePrefix + "%d.jpg")];
}
