namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// How a chunked encode splits the trick-play tiles into parts, so that no one job decodes the whole master: each part
/// makes whole tile files (<see cref="Thumbnails.TileSeconds"/> of master each, from an input seek to the start of its
/// first one), at most as many parts as there are video chunks. The planner and the worker that runs a part both derive
/// the split from the master's duration and the chunk count, so the job carries only its index.
/// </summary>
internal static class TileParts
{
    /// <summary>Part <paramref name="index"/>'s tile files: the first one's number (from 1) and how many (0: to the end).</summary>
    public static (int First, int Count) Of(int index, TimeSpan duration, int chunkCount)
    {
        var perPart = PerPart(duration, chunkCount);
        return (index * perPart + 1, index == CountFor(duration, chunkCount) - 1 ? 0 : perPart);
    }

    /// <summary>How many tiles parts a master of <paramref name="duration"/> cut into <paramref name="chunkCount"/> chunks has.</summary>
    public static int CountFor(TimeSpan duration, int chunkCount) =>
        (Files(duration) + PerPart(duration, chunkCount) - 1) / PerPart(duration, chunkCount);

    /// <summary>Tile files, counted as the chunks are: a tail shorter than a segment adds none (it joins the last one).</summary>
    private static int Files(TimeSpan duration) =>
        Math.Max(1, (int)Math.Ceiling((duration.TotalSeconds - LadderArguments.SegmentSeconds + 0.001) / Thumbnails.TileSeconds));

    private static int PerPart(TimeSpan duration, int chunkCount) => Math.Max(1, (Files(duration) + chunkCount - 1) / Math.Max(1, chunkCount));
}
