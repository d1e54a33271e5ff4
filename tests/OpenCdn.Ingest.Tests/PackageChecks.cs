using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>Checks a published package the way a DASH player depends on it, with ffprobe and by reading the boxes.</summary>
internal static class PackageChecks
{
    public static PackageManifest Read(PlatformProcesses platform, string titleId, int version)
    {
        var path = platform.Data.Combine("origin", "objects", "titles", titleId, $"v{version}", PackageManifest.FileName);
        return JsonSerializer.Deserialize<PackageManifest>(File.ReadAllText(path), PackageJson.Options)!;
    }

    public static string FileOf(PlatformProcesses platform, PackageManifest package, Representation r) =>
        platform.Data.Combine("origin", "objects", "titles", package.TitleId, $"v{package.Version}", r.File);

    /// <summary>Size and SHA-256 match; initRange ends where moov ends; indexRange is exactly the top-level sidx.</summary>
    public static void AssertLayout(string path, Representation r)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(r.Size, bytes.Length);
        Assert.Equal(r.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var boxes = TopLevelBoxes(bytes);
        Assert.Equal(["ftyp", "moov", "sidx"], boxes.Take(3).Select(b => b.Type));
        var moov = boxes[1];
        var sidx = boxes[2];
        Assert.Equal(new ByteSpan(0, moov.Offset + moov.Size - 1), r.InitRange);
        Assert.Equal(new ByteSpan(sidx.Offset, sidx.Offset + sidx.Size - 1), r.IndexRange);
        Assert.Single(boxes, b => b.Type == "sidx");
        Assert.Contains(boxes, b => b.Type == "moof");
        AssertSegments(bytes, r);
    }

    /// <summary>The segment hashes tile the file from the sidx to its end, each range starting at a moof, each hash right.</summary>
    private static void AssertSegments(byte[] bytes, Representation r)
    {
        var segments = Assert.IsAssignableFrom<IReadOnlyList<SegmentHash>>(r.Segments);
        Assert.NotEmpty(segments);
        Assert.Equal(r.IndexRange!.Value.Last + 1, segments[0].Range.First);
        Assert.Equal(bytes.Length - 1, segments[^1].Range.Last);
        for (var i = 0; i < segments.Count; i++)
        {
            var (first, last) = (segments[i].Range.First, segments[i].Range.Last);
            Assert.True(i == 0 || first == segments[i - 1].Range.Last + 1, $"segment {i} follows the previous one");
            Assert.Equal("moof", System.Text.Encoding.ASCII.GetString(bytes, (int)first + 4, 4));
            Assert.Equal(segments[i].Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan((int)first, (int)(last - first + 1)))));
        }
    }

    /// <summary>Keyframe times of a rendition, relative to its first frame.</summary>
    public static async Task<IReadOnlyList<double>> KeyframesAsync(string path)
    {
        var times = await Ffmpeg.KeyframeTimesAsync(path);
        return times.Select(t => Math.Round(t - times[0], 2)).ToList();
    }

    public static List<(string Type, long Offset, long Size)> TopLevelBoxes(byte[] file)
    {
        var boxes = new List<(string, long, long)>();
        for (long at = 0; at + 8 <= file.Length;)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)at));
            var type = System.Text.Encoding.ASCII.GetString(file, (int)at + 4, 4);
            if (size == 1)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan((int)at + 8));
            }
            boxes.Add((type, at, size));
            at += size;
        }
        return boxes;
    }
}
