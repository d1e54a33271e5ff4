using System.Globalization;
using System.Security.Cryptography;
using OpenCdn.Contracts.Packages;
using OpenCdn.Ingest.Ladder;

namespace OpenCdn.Ingest.Packaging;

/// <summary>
/// Describes the thumbnail tiles the ladder wrote as one image representation: its parts are the tiles (size and
/// SHA-256 each), its width and height those of a tile as the JPEG says, its bandwidth the tiles' average rate.
/// </summary>
internal static class ThumbnailSet
{
    public const string RepresentationId = "thumbnails";

    public static async Task<Representation> DescribeAsync(string folder, TimeSpan duration, CancellationToken cancellationToken)
    {
        var numbers = Directory.EnumerateFiles(folder, Thumbnails.FilePrefix + "*.jpg")
            .Select(path => Path.GetFileNameWithoutExtension(path)[Thumbnails.FilePrefix.Length..])
            .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0)
            .Order()
            .ToList();
        if (numbers.Count == 0 || !numbers.SequenceEqual(Enumerable.Range(1, numbers.Count)))
        {
            throw new InvalidDataException($"The thumbnail tiles are not {Thumbnails.FilePrefix}1.jpg to {Thumbnails.FilePrefix}N.jpg: "
                + $"found {numbers.Count} ({string.Join(',', numbers.Take(10))}).");
        }
        var parts = new List<PackageFile>();
        (int Width, int Height)? size = null;
        foreach (var number in numbers)
        {
            var name = FormattableString.Invariant($"{Thumbnails.FilePrefix}{number}.jpg");
            var path = Path.Combine(folder, name);
            var tile = JpegSize.Read(path);
            if (size is { } first && first != tile)
            {
                throw new InvalidDataException($"{name} is {tile.Width}x{tile.Height}, unlike the first tile ({first.Width}x{first.Height}).");
            }
            size = tile;
            await using var file = File.OpenRead(path);
            parts.Add(new PackageFile(name, file.Length, Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken))));
        }
        var (width, height) = size!.Value;
        if (width % Thumbnails.Columns != 0 || height % Thumbnails.Rows != 0)
        {
            throw new InvalidDataException($"A {width}x{height} tile does not split into {Thumbnails.Columns}x{Thumbnails.Rows} thumbnails.");
        }
        var total = parts.Sum(p => p.Size);
        var bandwidth = (int)Math.Ceiling(total * 8 / Math.Max(1, duration.TotalSeconds));
        return new Representation(
            RepresentationId, MediaKind.Image, Thumbnails.FileTemplate, "image/jpeg", "jpeg", bandwidth, total, Sha256: "",
            InitRange: null, IndexRange: null, Timescale: 1, PresentationTimeOffset: 0, Width: width, Height: height, Parts: parts,
            Tiles: new ThumbnailTiles(Thumbnails.Columns, Thumbnails.Rows, Thumbnails.IntervalSeconds));
    }
}
