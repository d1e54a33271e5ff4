using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace OpenCdn.Edge.Content;

/// <summary>
/// A catalogued file as the serving path needs it: response headers computed once, and one read handle shared by every
/// response, opened on first use and closed when the catalog drops or replaces the file. After <see cref="Close"/> no new
/// read can start on the handle (a read in flight finishes on it, then the descriptor closes), so no byte is served from a
/// file that was evicted or quarantined once its removal returned.
/// </summary>
internal sealed class ServableFile
{
    private readonly Lock _gate = new();
    private readonly OpenFileBudget _budget;
    private SafeFileHandle? _handle;
    private bool _closed;

    public ServableFile(StoredFile stored, string path, OpenFileBudget budget)
    {
        Stored = stored;
        Path = path;
        _budget = budget;
        EntityTag = stored.EntityTag.ToString();
        LastModified = stored.VerifiedAt.ToString("R", CultureInfo.InvariantCulture);
    }

    public StoredFile Stored { get; }

    public string Path { get; }

    public long Length => Stored.Size;

    public string ContentType => Stored.ContentType;

    public string EntityTag { get; }

    public string LastModified { get; }

    /// <summary>
    /// The handle to read the file through. <paramref name="owned"/> is true when the shared handle could not be kept
    /// (too many files open): the caller then disposes this one-off handle. False when the file was closed or is gone.
    /// </summary>
    public bool TryOpen(out SafeFileHandle handle, out bool owned)
    {
        lock (_gate)
        {
            owned = false;
            handle = _handle!;
            if (_closed)
            {
                return false;
            }
            if (_handle is not null)
            {
                return true;
            }
            if (!TryOpenHandle(out handle))
            {
                return false;
            }
            if (_budget.TryTake())
            {
                _handle = handle;
            }
            else
            {
                owned = true;
            }
            return true;
        }
    }

    /// <summary>Stops all further reads through the shared handle and releases it; idempotent.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            if (_handle is not null)
            {
                _handle.Dispose();
                _handle = null;
                _budget.Return();
            }
        }
    }

    private bool TryOpenHandle(out SafeFileHandle handle)
    {
        try
        {
            handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            handle = null!;
            return false; // removed between the catalog lookup and here
        }
    }
}
