namespace OpenCdn.Edge.Content;

/// <summary>
/// How many read handles the catalog keeps open across all files. Past it, a response opens and closes its own handle,
/// so a catalog of hundreds of thousands of files never exhausts the process's file descriptors.
/// </summary>
internal sealed class OpenFileBudget(int max)
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public bool TryTake()
    {
        if (Interlocked.Increment(ref _open) <= max)
        {
            return true;
        }
        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Return() => Interlocked.Decrement(ref _open);
}
