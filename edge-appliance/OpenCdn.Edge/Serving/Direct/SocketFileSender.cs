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
    private const int EIO = 5;
    private const int EAGAIN = 11;
    private const int MSG_NOSIGNAL = 0x4000; // a reset peer is an error, not SIGPIPE
    private const int MSG_MORE = 0x8000;
    private readonly Socket _socket = socket;
    private readonly Action _abort = abort;
    private readonly Args _args = new();
    private SafeFileHandle? _waitFile;
    private FileStream? _waitStream;
    private volatile bool _stalled;

    /// <summary>
    /// Sends <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>; <see cref="SendOutcome.Sent"/>
    /// once the kernel took them all. Expected ends come back as outcomes, never as exceptions: the client gone or
    /// stalled, the file closed (evicted) before the range went out, shorter than the range, or unreadable.
    /// </summary>
    public async ValueTask<SendOutcome> SendAsync(SafeFileHandle file, long offset, long count)
    {
        while (count > 0)
        {
            var outcome = SendNow(file, offset, count, out var sent);
            offset += sent;
            count -= sent;
            if (outcome != SendOutcome.Sent)
            {
                return outcome;
            }
            if (count > 0)
            {
                var chunk = (int)Math.Min(count, StallChunkBytes);
                outcome = await SendWhenWritableAsync(file, offset, chunk);
                if (outcome != SendOutcome.Sent)
                {
                    return outcome;
                }
                offset += chunk;
                count -= chunk;
            }
        }
        return SendOutcome.Sent;
    }

    /// <summary>
    /// Sends all of <paramref name="bytes"/>: what fits now directly, the rest once the socket is writable. With
    /// <paramref name="fileNext"/> they go flagged <c>MSG_MORE</c>: the kernel holds a partial segment for the file range
    /// sent next, so a response's head and the start of its body leave in one segment (nginx gets the same with
    /// <c>TCP_CORK</c>, at two more system calls a response). Ends <see cref="SendOutcome.Sent"/>, or with the client gone or stalled.
    /// </summary>
    public async ValueTask<SendOutcome> SendAsync(ReadOnlyMemory<byte> bytes, bool fileNext)
    {
        var outcome = SendNow(bytes.Span, fileNext ? MSG_MORE | MSG_NOSIGNAL : MSG_NOSIGNAL, out var taken);
        var rest = bytes[taken..];
        while (outcome == SendOutcome.Sent && !rest.IsEmpty)
        {
            using var stall = StallTimer();
            try
            {
                rest = rest[await _socket.SendAsync(rest[..Math.Min(rest.Length, StallChunkBytes)], SocketFlags.None)..];
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                outcome = ClientOutcome(); // the socket is failed or closed (aborted): no other cause is possible here
            }
        }
        return outcome;
    }

    public void Dispose() => _args.Dispose();

    /// <summary>Sends what the kernel takes at once, up to the first "socket buffer full" (<see cref="SendOutcome.Sent"/>).</summary>
    private SendOutcome SendNow(ReadOnlySpan<byte> bytes, int flags, out int taken)
    {
        taken = 0;
        if (!Descriptor.TryAcquire(_socket.SafeHandle, out var socket))
        {
            return ClientOutcome();
        }
        using (socket)
        {
            while (taken < bytes.Length)
            {
                var sent = Native.Send(socket.Fd, ref MemoryMarshal.GetReference(bytes[taken..]), (nuint)(bytes.Length - taken), flags);
                if (sent > 0)
                {
                    taken += (int)sent;
                    continue;
                }
                var error = sent == 0 ? 0 : Marshal.GetLastPInvokeError();
                if (error == EAGAIN)
                {
                    break;
                }
                if (error != EINTR)
                {
                    return ClientOutcome(); // EPIPE, ECONNRESET…: the connection is gone
                }
            }
        }
        return SendOutcome.Sent;
    }

    /// <summary>Sends what the kernel takes at once, up to the first "socket buffer full" (<see cref="SendOutcome.Sent"/>).</summary>
    private SendOutcome SendNow(SafeFileHandle file, long offset, long count, out long sent)
    {
        sent = 0;
        if (!Descriptor.TryAcquire(_socket.SafeHandle, out var socket))
        {
            return ClientOutcome();
        }
        using (socket)
        {
            if (!Descriptor.TryAcquire(file, out var source))
            {
                return SendOutcome.FileClosed;
            }
            using (source)
            {
                var start = offset;
                try
                {
                    while (count > 0)
                    {
                        var moved = Native.SendFile(socket.Fd, source.Fd, ref offset, (nuint)Math.Min(count, MaxPerCall));
                        if (moved > 0)
                        {
                            count -= moved;
                            continue;
                        }
                        if (moved == 0)
                        {
                            return SendOutcome.FileShort; // end of file inside the range
                        }
                        var error = Marshal.GetLastPInvokeError();
                        if (error == EAGAIN)
                        {
                            break;
                        }
                        if (error != EINTR)
                        {
                            return error == EIO ? SendOutcome.FileUnreadable : ClientOutcome();
                        }
                    }
                }
                finally
                {
                    sent = offset - start;
                }
            }
        }
        return SendOutcome.Sent;
    }

    private async ValueTask<SendOutcome> SendWhenWritableAsync(SafeFileHandle file, long offset, int count)
    {
        if (_waitFile != file)
        {
            // SendPacketsAsync takes a FileStream. This one is never disposed: that would close the catalog's shared handle.
            _waitStream = new FileStream(file, FileAccess.Read, bufferSize: 0, isAsync: file.IsAsync);
            _waitFile = file;
        }
        _args.SendPacketsElements = [new SendPacketsElement(_waitStream!, offset, count)];
        _args.Done = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        SocketError error;
        using (StallTimer())
        {
            try
            {
                error = _socket.SendPacketsAsync(_args) ? await _args.Done.Task : _args.SocketError;
            }
            catch (ObjectDisposedException)
            {
                // The socket (aborted) or the file (evicted) was closed before the wait began.
                return file.IsClosed ? SendOutcome.FileClosed : ClientOutcome();
            }
        }
        if (error != SocketError.Success)
        {
            return file.IsClosed ? SendOutcome.FileClosed : ClientOutcome();
        }
        return _args.BytesTransferred == count ? SendOutcome.Sent : SendOutcome.FileShort;
    }

    /// <summary>The connection failed: <see cref="SendOutcome.Stalled"/> when the stall timer aborted it, else the client went away.</summary>
    private SendOutcome ClientOutcome() => _stalled ? SendOutcome.Stalled : SendOutcome.ClientGone;

    /// <summary>Aborts the connection unless disposed within the stall timeout (which fails the socket operation in flight).</summary>
    private CancellationTokenSource StallTimer()
    {
        var timer = new CancellationTokenSource(stallTimeout);
        timer.Token.UnsafeRegister(static state =>
        {
            var sender = (SocketFileSender)state!;
            sender._stalled = true;
            sender._abort();
        }, this);
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

        private Descriptor(SafeHandle handle)
        {
            _handle = handle;
            Fd = (int)handle.DangerousGetHandle();
        }

        public int Fd { get; }

        /// <summary>False when the handle is already closed (the socket aborted, the file evicted).</summary>
        public static bool TryAcquire(SafeHandle handle, out Descriptor descriptor)
        {
            descriptor = default;
            if (handle.IsClosed)
            {
                return false; // the common way to find it closed: no exception
            }
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
            }
            catch (ObjectDisposedException)
            {
                return false; // closed between the check and the reference
            }
            descriptor = new Descriptor(handle);
            return true;
        }

        public void Dispose() => _handle?.DangerousRelease();
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
