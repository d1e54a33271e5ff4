using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Fill;

/// <summary>Live progress of the current plan, for heartbeats and <c>/metrics</c>.</summary>
internal sealed class FillProgressTracker(EdgeMetrics metrics)
{
    private int _planVersion;
    private int _inWindow;
    private int _filesDone;
    private int _filesTotal;
    private long _bytesDone;
    private long _bytesTotal;

    public FillProgress Current
    {
        get
        {
            var progress = new FillProgress(Volatile.Read(ref _planVersion), Volatile.Read(ref _inWindow) == 1, Volatile.Read(ref _filesDone),
                Volatile.Read(ref _filesTotal), Interlocked.Read(ref _bytesDone), Interlocked.Read(ref _bytesTotal));
            metrics.FillProgress(progress);
            return progress;
        }
    }

    public void Start(int planVersion, bool inWindow, int filesDone, int filesTotal, long bytesDone, long bytesTotal)
    {
        Volatile.Write(ref _planVersion, planVersion);
        Volatile.Write(ref _inWindow, inWindow ? 1 : 0);
        Volatile.Write(ref _filesDone, filesDone);
        Volatile.Write(ref _filesTotal, filesTotal);
        Interlocked.Exchange(ref _bytesDone, bytesDone);
        Interlocked.Exchange(ref _bytesTotal, bytesTotal);
        _ = Current;
    }

    public void Downloaded(long bytes) => Interlocked.Add(ref _bytesDone, bytes);

    public void FileVerified()
    {
        Interlocked.Increment(ref _filesDone);
        _ = Current;
    }
}
