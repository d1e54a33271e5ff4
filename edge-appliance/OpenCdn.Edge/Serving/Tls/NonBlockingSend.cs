using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// <c>send(2)</c> on a non-blocking socket, for as many bytes as it takes now (the TLS session's records go out straight
/// from OpenSSL's buffer), and for all of them with waits, what the socket did not take at once.
/// </summary>
internal static partial class NonBlockingSend
{
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int MSG_NOSIGNAL = 0x4000;

    /// <summary>
    /// Sends what the socket takes now (<paramref name="taken"/>); false when the connection failed (reset, closed). The
    /// socket's handle is referenced for the length of the calls only (held longer, it would keep Kestrel's abort of the
    /// connection waiting): a descriptor closed meanwhile is not reused under them.
    /// </summary>
    public static bool TrySend(Socket socket, ReadOnlySpan<byte> records, out int taken)
    {
        taken = 0;
        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            if (handle.IsClosed)
            {
                return false;
            }
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            while (taken < records.Length)
            {
                var sent = Libc.Send(fd, ref MemoryMarshal.GetReference(records[taken..]), (nuint)(records.Length - taken), MSG_NOSIGNAL);
                if (sent > 0)
                {
                    taken += (int)sent;
                    continue;
                }
                var error = sent == 0 ? 0 : Marshal.GetLastPInvokeError();
                if (error == EAGAIN)
                {
                    return true;
                }
                if (error != EINTR)
                {
                    return false;
                }
            }
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Sends all of <paramref name="bytes"/>, waiting while the socket is full; <paramref name="onStall"/> runs (with
    /// <paramref name="state"/>) when that takes longer than <paramref name="stallTimeout"/>. False when the connection failed.
    /// </summary>
    public static async ValueTask<bool> SendAllAsync(
        Socket socket, ReadOnlyMemory<byte> bytes, TimeSpan stallTimeout, object state, Action<object?> onStall)
    {
        using var stall = new CancellationTokenSource(stallTimeout);
        using var registration = stall.Token.UnsafeRegister(onStall, state);
        try
        {
            while (!bytes.IsEmpty)
            {
                bytes = bytes[await socket.SendAsync(bytes, SocketFlags.None)..];
            }
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static partial class Libc
    {
        /// <summary><c>ssize_t send(int sockfd, const void *buf, size_t len, int flags)</c>.</summary>
        [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
        public static partial nint Send(int socketFd, ref byte buffer, nuint length, int flags);
    }
}
