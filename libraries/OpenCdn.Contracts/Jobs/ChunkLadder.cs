using System.Text.Json;

namespace OpenCdn.Contracts.Jobs;

/// <summary>
/// The ladder a chunked title is encoded with, written by the planning worker to origin's scratch prefix
/// (<see cref="Packages.OriginKeys.ChunkLadder"/>, in <see cref="ContractJson"/>) before it queues the video chunks. The
/// tracks part is queued before the per-title analysis chooses the ladder, so its job does not carry the rungs; when it is
/// the part that assembles, it reads them from here.
/// </summary>
public sealed record ChunkLadder(IReadOnlyList<ChunkRung> Rungs)
{
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ContractJson.Options);

    /// <summary>The ladder in <paramref name="json"/>; null when it is malformed or out of range. It never throws on bad input.</summary>
    public static ChunkLadder? FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var ladder = JsonSerializer.Deserialize<ChunkLadder>(json, ContractJson.Options);
            return ladder is { Rungs: { Count: > 0 and <= ChunkJob.MaxRungs } rungs } && rungs.All(r => r is not null && r.IsValid)
                ? ladder
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
