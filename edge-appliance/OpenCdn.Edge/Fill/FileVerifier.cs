using System.Buffers;
using System.Security.Cryptography;

namespace OpenCdn.Edge.Fill;

/// <summary>Checks a file against the size and sha256 the plan names, reading it once with a pooled buffer.</summary>
internal static class FileVerifier
{
    private const int BufferSize = 256 * 1024;

    /// <param name="throttle">Paces the reads (the scrubber's low rate); <c>null</c> reads at disk speed.</param>
    public static async Task<bool> MatchesAsync(string path, long size, string sha256, TokenBucket? throttle, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != size)
        {
            return false;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var stream = new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                if (throttle is not null)
                {
                    await throttle.TakeAsync(read, cancellationToken);
                }
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return string.Equals(Convert.ToHexString(hash.GetHashAndReset()), sha256, StringComparison.OrdinalIgnoreCase);
    }
}
