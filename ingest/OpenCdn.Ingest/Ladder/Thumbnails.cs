using System.Globalization;

namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// Trick-play thumbnails, made by the ladder's one ffmpeg command from the same decoded picture as the renditions: the
/// first frame of every <see cref="IntervalSeconds"/>-second interval of the video's own timeline, scaled to fit
/// <see cref="MaxSide"/> px at the picture's display aspect with square pixels (anamorphic and portrait masters too), laid
/// out <see cref="Columns"/> x <see cref="Rows"/> in JPEG tiles <c>thumbs_1.jpg</c>, <c>thumbs_2.jpg</c>, ... A chunk of a
/// chunked encode writes its thumbnails untiled (<see cref="CellsOutput"/>, lossless) and the assembly tiles every chunk's
/// in order (<see cref="TileAsync"/>): the same tiles, byte for byte, with the master decoded once.
/// </summary>
internal static class Thumbnails
{
    public const int IntervalSeconds = 4;
    public const int Columns = 10;
    public const int Rows = 10;
    public const int MaxSide = 160;
    public const string FilePrefix = "thumbs_";

    /// <summary>A chunk's thumbnails, untiled (Matroska keeps the full-range flag the tiles' JPEG needs).</summary>
    public const string CellsFile = "thumbs.mkv";

    /// <summary>The tiles' name template, as the MPD's SegmentTemplate writes it.</summary>
    public const string FileTemplate = FilePrefix + "$Number$.jpg";

    /// <summary>The filter chain from <paramref name="input"/> (a branch of the ladder's split) to the tiles, <paramref name="output"/>.</summary>
    public static string Filter(string input, string output) => Cells(input, "") + $",tile={Columns}x{Rows}{output}";

    /// <summary>
    /// The chain that picks and scales the thumbnails. The select keeps the first frame of each interval (exactly one per
    /// interval holding a frame, so the count covers the duration), on a clock that starts at the branch's first frame,
    /// <paramref name="leadSeconds"/> after an interval mark (a chunk starts up to a frame after its 4-s boundary);
    /// <c>dar</c> is the input's display aspect ratio, so the thumbnail keeps the shape the viewer sees.
    /// </summary>
    public static string Cells(string input, string output, double leadSeconds = 0)
    {
        var every = IntervalSeconds.ToString(CultureInfo.InvariantCulture);
        var side = MaxSide.ToString(CultureInfo.InvariantCulture);
        var lead = leadSeconds > 0 ? "+" + leadSeconds.ToString("0.#########", CultureInfo.InvariantCulture) : "";
        return $"{input}setpts=PTS-STARTPTS,"
            + $"select='if(isnan(prev_selected_t)\\,1\\,gt(floor((t{lead})/{every})\\,floor((prev_selected_t{lead})/{every})))',"
            + $"scale=w='if(gte(dar\\,1)\\,{side}\\,2*trunc({side}*dar/2))':h='if(gte(dar\\,1)\\,2*trunc({side}/dar/2)\\,{side})'"
            + $":flags=bicubic,setsar=1,format=yuvj420p{output}";
    }

    /// <summary>The output options for the tiles, after <c>-map {output}</c>.</summary>
    public static IReadOnlyList<string> Output(string outputFolder) =>
        // passthrough: one file per tile (the default for image files would repeat tiles to fill a constant frame rate).
        ["-c:v", "mjpeg", "-q:v", "5", "-fps_mode:v", "passthrough", "-map_metadata", "-1", "-f", "image2",
            Path.Combine(outputFolder, FilePrefix + "%d.jpg")];

    /// <summary>The output options for a chunk's untiled thumbnails: <paramref name="count"/> of them (0: to the end).</summary>
    public static IReadOnlyList<string> CellsOutput(string outputFolder, long count) =>
    [
        "-c:v", "rawvideo", "-fps_mode:v", "passthrough", "-map_metadata", "-1",
        .. count > 0 ? ["-frames:v", count.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
        "-f", "matroska", Path.Combine(outputFolder, CellsFile),
    ];

    /// <summary>
    /// Tiles the chunks' thumbnails, <paramref name="cellFiles"/> in chunk order, into <paramref name="outputFolder"/>: the
    /// tiles a single pass makes (the tile filter on the same full-range pictures, the same JPEG settings).
    /// </summary>
    public static async Task TileAsync(string ffmpeg, IReadOnlyList<string> cellFiles, string outputFolder, CancellationToken cancellationToken)
    {
        var list = Path.Combine(Path.GetDirectoryName(cellFiles[0])!, "thumbs.txt");
        await File.WriteAllLinesAsync(list, cellFiles.Select(f => $"file '{f.Replace("'", "'\\''", StringComparison.Ordinal)}'"), cancellationToken);
        await FfmpegProcess.RunAsync(
            ffmpeg,
            ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list,
                "-vf", $"format=yuvj420p,tile={Columns}x{Rows}", .. Output(outputFolder)],
            null, cancellationToken);
    }
}
