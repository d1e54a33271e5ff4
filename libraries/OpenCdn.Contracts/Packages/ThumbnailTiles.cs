namespace OpenCdn.Contracts.Packages;

/// <summary>
/// How trick-play thumbnails sit in their JPEG tiles (DASH-IF thumbnail_tile): <see cref="Columns"/> x <see cref="Rows"/>
/// thumbnails per tile, left to right then top to bottom, one every <see cref="IntervalSeconds"/> from time 0. Tile n
/// (from 1) covers <c>[(n-1) * Columns * Rows * IntervalSeconds, n * Columns * Rows * IntervalSeconds)</c>; the last
/// tile's unused cells are black.
/// </summary>
public sealed record ThumbnailTiles(int Columns, int Rows, int IntervalSeconds)
{
    /// <summary>The time one tile covers: the MPD's SegmentTemplate duration (timescale 1).</summary>
    public int TileSeconds => Columns * Rows * IntervalSeconds;
}
