using Microsoft.Win32.SafeHandles;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Keys;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// The answer to the common content request: a valid token for a catalogued file, the whole file or one satisfiable
/// <c>bytes</c> range of it, and the handle to read it through. <see cref="Release"/> closes a handle opened for this
/// response alone (the shared one stays with the catalog).
/// </summary>
internal readonly record struct ContentResponse(ServableFile File, SafeFileHandle Handle, bool Owned, bool Partial, long From, long Count)
{
    /// <summary>
    /// False for anything else — a bad path or token, an unknown file, another range shape — which the full path in
    /// <see cref="ContentEndpoints"/> answers (400, 403, 404, 416, multiple ranges…).
    /// </summary>
    public static bool TryResolve(string path, string? range, VerifiedTokens tokens, ContentCatalog catalog, out ContentResponse response)
    {
        response = default;
        if (!ContentPath.TryParse(path, out var token, out var key)
            || tokens.Check(token, key.TitleId) != TokenCheck.Valid
            || !catalog.TryGetServable(key, out var file))
        {
            return false;
        }
        long from = 0, count = file.Length;
        if (range is not null && !SingleByteRange.TryParse(range, file.Length, out from, out count))
        {
            return false;
        }
        if (!file.TryOpen(out var handle, out var owned))
        {
            return false; // closed or gone since the lookup: the full path answers (404)
        }
        response = new ContentResponse(file, handle, owned, range is not null, from, count);
        return true;
    }

    /// <summary>
    /// Reads the file at <paramref name="offset"/> into all of <paramref name="into"/> (<c>pread</c>): Sent, or the file's
    /// fault when it cannot give that many bytes (closed by eviction, shorter than its catalog entry, unreadable).
    /// </summary>
    public SendOutcome Read(Span<byte> into, long offset)
    {
        if (into.IsEmpty)
        {
            return SendOutcome.Sent;
        }
        try
        {
            return RandomAccess.Read(Handle, into, offset) == into.Length ? SendOutcome.Sent : SendOutcome.FileShort;
        }
        catch (ObjectDisposedException)
        {
            return SendOutcome.FileClosed;
        }
        catch (IOException)
        {
            return SendOutcome.FileUnreadable;
        }
    }

    /// <summary>Reads <paramref name="total"/> bytes at <paramref name="offset"/> into the buffers in order, in one call (<c>preadv</c>).</summary>
    public SendOutcome Read(IReadOnlyList<Memory<byte>> into, long total, long offset)
    {
        if (total == 0)
        {
            return SendOutcome.Sent;
        }
        try
        {
            return RandomAccess.Read(Handle, into, offset) == total ? SendOutcome.Sent : SendOutcome.FileShort;
        }
        catch (ObjectDisposedException)
        {
            return SendOutcome.FileClosed;
        }
        catch (IOException)
        {
            return SendOutcome.FileUnreadable;
        }
    }

    public void Release()
    {
        if (Owned)
        {
            Handle.Dispose();
        }
    }
}
