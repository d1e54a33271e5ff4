using System.Buffers.Binary;
using System.Security.Cryptography;
using OpenCdn.Contracts.Packages;

namespace OpenCdn.Ingest.Packaging;

/// <summary>
/// Reads what the MPD needs from an encoded rendition: the init range (ftyp+moov), the index range (the top-level
/// sidx), the track timescale, the RFC 6381 codecs string from the avcC (H.264) or av1C (AV1) box, size and SHA-256.
/// </summary>
internal static class RenditionInspector
{
    public sealed record Layout(ByteSpan InitRange, ByteSpan IndexRange, int Timescale, string Codecs, long Size, string Sha256);

    public static async Task<Layout> InspectAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var top = Mp4Box.ReadChildren(file, 0, file.Length);
        var moov = top.FirstOrDefault(b => b.Type == "moov");
        var sidx = top.FirstOrDefault(b => b.Type == "sidx");
        if (moov.Type is null || sidx.Type is null || sidx.Offset != moov.End)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not an on-demand fragmented MP4 "
                + $"(expected ftyp, moov, sidx at the top; found {string.Join(' ', top.Select(b => b.Type))}).");
        }
        var mdhd = Mp4Box.Find(file, "moov", "trak", "mdia", "mdhd") ?? throw new InvalidDataException($"{path} has no mdhd box.");
        var mdhdPayload = mdhd.ReadPayload(file);
        // Full box: version (1 byte) + flags (3); version 1 has 64-bit creation/modification times.
        var timescale = (int)BinaryPrimitives.ReadUInt32BigEndian(mdhdPayload.AsSpan(mdhdPayload[0] == 1 ? 20 : 12));
        var codecs = Codecs(file);
        file.Position = 0;
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        return new Layout(new ByteSpan(0, moov.End - 1), new ByteSpan(sidx.Offset, sidx.End - 1), timescale, codecs, file.Length, sha);
    }

    private static string Codecs(Stream file)
    {
        if (Mp4Box.Find(file, "moov", "trak", "mdia", "minf", "stbl", "stsd", "avc1", "avcC") is { } avcC)
        {
            var config = avcC.ReadPayload(file);
            // AVCDecoderConfigurationRecord: version, profile_idc, constraint flags, level_idc.
            return $"avc1.{config[1]:x2}{config[2]:x2}{config[3]:x2}";
        }
        if (Mp4Box.Find(file, "moov", "trak", "mdia", "minf", "stbl", "stsd", "av01", "av1C") is { } av1C)
        {
            return Av1Codecs(av1C.ReadPayload(file));
        }
        if (Mp4Box.Find(file, "moov", "trak", "mdia", "minf", "stbl", "stsd", "mp4a") is not null)
        {
            return "mp4a.40.2"; // the encoder is set to AAC-LC
        }
        throw new InvalidDataException("No avc1, av01 or mp4a sample entry was found.");
    }

    /// <summary>
    /// The AV1 codecs string (AV1 Codec ISO Media File Format Binding, "Codecs Parameter String"):
    /// <c>av01.{profile}.{level}{tier}.{bit depth}</c>, e.g. <c>av01.0.08M.08</c>, from the AV1CodecConfigurationRecord:
    /// marker+version; seq_profile (3 bits) and seq_level_idx_0 (5); seq_tier_0, high_bitdepth, twelve_bit, ...
    /// </summary>
    internal static string Av1Codecs(ReadOnlySpan<byte> config)
    {
        if (config.Length < 4 || (config[0] & 0x80) == 0)
        {
            throw new InvalidDataException("The av1C box is not an AV1 codec configuration record.");
        }
        var profile = config[1] >> 5;
        var level = config[1] & 0x1F;
        var tier = (config[2] & 0x80) != 0 ? 'H' : 'M';
        var bitDepth = (config[2] & 0x40) == 0 ? 8 : (config[2] & 0x20) != 0 ? 12 : 10;
        return FormattableString.Invariant($"av01.{profile}.{level:D2}{tier}.{bitDepth:D2}");
    }
}
