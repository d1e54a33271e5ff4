using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OpenCdn.Edge.Serving.Direct;

/// <summary>
/// Sends a byte range of a file on a socket with the kernel's <c>sendfile(2)</c>. It calls the system call itself first,
/// as nginx does: the connection's socket is non-blocking (.NET makes it so on the first asynchronous receive, which
/// Kestrel starts before any request), so the call takes what fits in the socket buffer and returns. Only when the buffer
/// is full does it hand the rest to <see cref="Socket.SendPacketsAsync"/>, which waits for the socket to become writable
/// (it costs an <c>lseek</c>, an <c>fstat</c> and a task per wait, which the direct call saves). One instance per
/// connection; one send at a time. A client that takes less than <see cref="StallChunkBytes"/> in the stall timeout
/// while the sender waits on it has its connection aborted.
/// </summary>
internal sealed partial class SocketFileSender(Socket socket, TimeSpan stallTimeout, Action abort) : IDisposable
{
    /// <summary>The most a wait for the client covers: with a 60-second timeout, a client slower than 4 KB/s is dropped.</summary>
    public const int StallChunkBytes = 256 * 1024;

    private const int MaxPerCall = 1 << 30; // sendfile moves at most ~2 GiB a call
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int MSG_NOSIGNAL = 0x4000; // a reset peer is an error, not SIGPIPE
    private const int MSG_MORE = 0x8000;
    private readonly Socket _socket = socket;
    private readonly Args _args = new();
    private SafeFileHandle? _waitFile;
    private FileStream? _waitStream;

    /// <summary>
    /// Completes when the kernel took the whole range; throws <see cref="SocketException"/> or <see cref="IOException"/>
    /// when the connection failed, <see cref="IOException"/> when the file ended first, and
    /// <see cref="ObjectDisposedException"/> when the file was closed (evicted) before the range went out.
    /// </summary>
    public async ValueTask SendAsync(SafeFileHandle file, long offset, long count)
    {
        while (count > 0)
        {
            var sent = SendNow(file, offset, count);
            offset += sent;
            count -= sent;
            if (count > 0)
            {
                var chunk = (int)Math.Min(count, StallChunkBytes);
                await SendWhenWritableAsync(file, offset, chunk);
                offset += chunk;
                count -= chunk;
            }
        }
    }

    /// <summary>
    /// Sends all of <paramref name="bytes"/>: what fits now directly, the rest once the socket is writable. With
    /// <paramref name="fileNext"/> they go flagged <c>MSG_MORE</c>: the kernel holds a partial segment for the file range
    /// sent next, so a response's head and the start of its body leave in one segment (nginx gets the same with
    /// <c>TCP_CORK</c>, at two more system calls a response).
    /// </summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, bool fileNext)
    {
        var rest = bytes[SendNow(bytes.Span, fileNext ? MSG_MORE | MSG_NOSIGNAL : MSG_NOSIGNAL)..];
        while (!rest.IsEmpty)
        {
            using var stall = StallTimer();
            rest = rest[await _socket.SendAsync(rest[..Math.Min(rest.Length, StallChunkBytes)], SocketFlags.None)..];
        }
    }

    public void Dispose() => _args.Dispose();

    /// <summary>Bytes the kernel took at once, up to the first "socket buffer full".</summary>
    private int SendNow(ReadOnlySpan<byte> bytes, int flags)
    {
        using var socket = new Descriptor(_socket.SafeHandle);
        var taken = 0;
        while (taken < bytes.Length)
        {
            var sent = Native.Send(socket.Fd, ref MemoryMarshal.GetReference(bytes[taken..]), (nuint)(bytes.Length - taken), flags);
            if (sent > 0)
            {
                taken += (int)sent;
            }
            else if (sent == 0 || !Interrupted("send"))
            {
                break;
            }
        }
        return taken;
    }

    /// <summary>Bytes the kernel took at once, up to the first "socket buffer full".</summary>
    private long SendNow(SafeFileHandle file, long offset, long count)
    {
        using var socket = new Descriptor(_socket.SafeHandle);
        using var source = new Descriptor(file);
        var start = offset;
        while (count > 0)
        {
            var sent = Native.SendFile(socket.Fd, source.Fd, ref offset, (nuint)Math.Min(count, MaxPerCall));
            if (sent > 0)
            {
                count -= sent;
            }
            else if (sent == 0)
            {
                throw FileShorterThanRange();
            }
            else if (!Interrupted("sendfile"))
            {
                break;
            }
        }
        return offset - start;
    }

    private static IOException FileShorterThanRange() => new("The file is shorter than the range the response promised.");

    /// <summary>After a call failed: true to retry it (EINTR), false when the socket buffer is full (EAGAIN); throws otherwise.</summary>
    private static bool Interrupted(string call)
    {
        var error = Marshal.GetLastPInvokeError();
        if (error is EINTR or EAGAIN)
        {
            return error == EINTR;
        }
        throw new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    private async Task SendWhenWritableAsync(SafeFileHandle file, long offset, int count)
    {
        if (_waitFile != file)
        {
            // SendPacketsAsync takes a FileStream. This one is never disposed: that would close the catalog's shared handle.
            _waitStream = new FileStream(file, FileAccess.Read, bufferSize: 0, isAsync: file.IsAsync);
            _waitFile = file;
        }
        _args.SendPacketsElements = [new SendPacketsElement(_waitStream!, offset, count)];
        _args.Done = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stall = StallTimer();
        var error = _socket.SendPacketsAsync(_args) ? await _args.Done.Task : _args.SocketError;
        if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }
        if (_args.BytesTransferred != count)
        {
            throw FileShorterThanRange();
        }
    }

    /// <summary>Aborts the connection unless disposed within the stall timeout (which fails the socket operation in flight).</summary>
    private CancellationTokenSource StallTimer()
    {
        var timer = new CancellationTokenSource(stallTimeout);
        timer.Token.UnsafeRegister(static state => ((Action)state!)(), abort);
        return timer;
    }

    private sealed class Args : SocketAsyncEventArgs
    {
        public TaskCompletionSource<SocketError>? Done { get; set; }

        protected override void OnCompleted(SocketAsyncEventArgs e) => Done?.TrySetResult(e.SocketError);
    }

    /// <summary>
    /// A handle's descriptor, referenced for the length of a system call: a socket or file closed meanwhile (client gone,
    /// file evicted) keeps its number until the call returns, so the number cannot be reused under it.
    /// </summary>
    private readonly ref struct Descriptor
    {
        private readonly SafeHandle _handle;

        public Descriptor(SafeHandle handle)
        {
            var added = false;
            handle.DangerousAddRef(ref added); // throws ObjectDisposedException once the handle is closed
            _handle = handle;
            Fd = (int)handle.DangerousGetHandle();
        }

        public int Fd { get; }

        public void Dispose() => _handle.DangerousRelease();
    }

    private static partial class Native
    {
        /// <summary><c>ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)</c>; advances <paramref name="offset"/>.</summary>
        [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
        public static partial nint SendFile(int outFd, int inFd, ref long offset, nuint count);

        /// <summary><c>ssize_t send(int sockfd, const void *buf, size_t len, int flags)</c>.</summary>
        [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
        public static partial nint Send(int socketFd, ref byte buffer, nuint length, int flags);
    }
}
