using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// Hands a connection's sending side to the kernel's TLS (kTLS), as OpenSSL's own socket BIO does: the <c>tls</c>
/// upper-layer protocol on the socket, then the keys OpenSSL derived (its <c>ktls_crypto_info_t</c>) as <c>TLS_TX</c>.
/// From then on the socket takes plaintext: application data with <c>send</c> or <c>sendfile</c>, which the kernel puts
/// in records and encrypts, and the other record types (alerts, session tickets) with <c>sendmsg</c> and their type in a
/// control message.
/// </summary>
internal static unsafe partial class KernelTlsSocket
{
    private const int SOL_TCP = 6;
    private const int TCP_ULP = 31;
    private const int SOL_TLS = 282;
    private const int TLS_TX = 1;
    private const int TLS_SET_RECORD_TYPE = 1;
    private const int EEXIST = 17;
    private const int MSG_NOSIGNAL = 0x4000;

    /// <summary>
    /// Where <c>ktls_crypto_info_t</c> (Linux, OpenSSL 3) keeps its length: after a union of the kernel's
    /// <c>tls12_crypto_info_*</c> structs, of which AES-256-GCM and ChaCha20-Poly1305, the largest, take 56 bytes.
    /// </summary>
    private const int CryptoInfoLengthOffset = 56;

    /// <summary>
    /// Starts kernel TLS for sending on <paramref name="socket"/>; false (and nothing changed for sending) when the kernel
    /// refuses.
    /// </summary>
    public static bool TryStartSending(Socket socket, nint cryptoInfo, out int error)
    {
        error = 0;
        var length = *(nuint*)(cryptoInfo + CryptoInfoLengthOffset);
        if (length is < 40 or > CryptoInfoLengthOffset)
        {
            error = -1; // not the layout this code knows: leave the records to OpenSSL
            return false;
        }
        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            if (Libc.SetSockOpt(fd, SOL_TCP, TCP_ULP, "tls"u8, 3) != 0 && Marshal.GetLastPInvokeError() != EEXIST)
            {
                error = Marshal.GetLastPInvokeError();
                return false;
            }
            if (Libc.SetSockOptRaw(fd, SOL_TLS, TLS_TX, cryptoInfo, (int)length) != 0)
            {
                error = Marshal.GetLastPInvokeError();
                return false;
            }
            return true;
        }
        catch (ObjectDisposedException)
        {
            error = -1;
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
    /// Sends one record of <paramref name="recordType"/> (not application data) whole; false when the socket did not take
    /// it all now.
    /// </summary>
    public static bool TrySendRecord(Socket socket, byte recordType, ReadOnlySpan<byte> payload)
    {
        var control = stackalloc byte[24]; // CMSG_SPACE(1)
        new Span<byte>(control, 24).Clear();
        *(nuint*)control = 17; // cmsg_len: CMSG_LEN(1)
        *(int*)(control + 8) = SOL_TLS;
        *(int*)(control + 12) = TLS_SET_RECORD_TYPE;
        control[16] = recordType;
        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* data = payload)
            {
                var vector = new IoVector { Base = data, Length = (nuint)payload.Length };
                var message = new MessageHeader { Vectors = &vector, VectorCount = 1, Control = control, ControlLength = 24 };
                return Libc.SendMsg((int)handle.DangerousGetHandle(), &message, MSG_NOSIGNAL) == payload.Length;
            }
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

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public nint Name;
        public int NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    private static partial class Libc
    {
        [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
        public static partial int SetSockOpt(int socket, int level, int option, ReadOnlySpan<byte> value, int length);

        [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
        public static partial int SetSockOptRaw(int socket, int level, int option, nint value, int length);

        [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
        public static partial nint SendMsg(int socket, MessageHeader* message, int flags);
    }
}
