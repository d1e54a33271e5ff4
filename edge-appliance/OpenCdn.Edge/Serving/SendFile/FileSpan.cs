using Microsoft.Win32.SafeHandles;

namespace OpenCdn.Edge.Serving.SendFile;

/// <summary>A file range to send at <see cref="Position"/> of a connection's output (bytes before it go first).</summary>
internal sealed class FileSpan(long position, SafeFileHandle file, long offset, long count)
{
    public long Position { get; } = position;

    public SafeFileHandle File { get; } = file;

    public long Offset { get; } = offset;

    public long Count { get; } = count;

    /// <summary>Completes when the kernel took the range, faults when the connection failed first.</summary>
    public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
