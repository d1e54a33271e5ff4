using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// Whether this host's kernel can take over the TLS record layer (kTLS): the Linux <c>tls</c> module, tried the way
/// OpenSSL enables it, by setting the <c>tls</c> upper-layer protocol (<c>TCP_ULP</c>) on an established loopback TCP
/// connection. Asked once at start; the answer and its reason are logged and exported in <c>/metrics</c>.
/// </summary>
internal static partial class KernelTls
{
    private const int SOL_TCP = 6;
    private const int TCP_ULP = 31;

    public static KernelTlsSupport Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new(false, "kernel TLS is Linux's");
        }
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            using var server = listener.Accept();
            return TryEnable(server.SafeHandle);
        }
        catch (SocketException e)
        {
            return new(false, $"no loopback connection to try it on ({e.SocketErrorCode})");
        }
    }

    /// <summary>Sets <c>TCP_ULP "tls"</c> on <paramref name="socket"/> (an established TCP connection): what the kernel answers.</summary>
    internal static KernelTlsSupport TryEnable(SafeHandle socket)
    {
        var added = false;
        socket.DangerousAddRef(ref added);
        try
        {
            var result = Libc.SetSockOpt((int)socket.DangerousGetHandle(), SOL_TCP, TCP_ULP, "tls"u8, 3);
            if (result == 0)
            {
                return new(true, "the kernel's tls module takes TCP connections");
            }
            var error = Marshal.GetLastPInvokeError();
            return new(false, error switch
            {
                2 => "the kernel has no tls module (ENOENT: modprobe tls, or a kernel built with CONFIG_TLS)",
                _ => $"the kernel refused the tls upper-layer protocol (errno {error})",
            });
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    private static partial class Libc
    {
        [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
        public static partial int SetSockOpt(int socket, int level, int option, ReadOnlySpan<byte> value, int length);
    }
}

/// <summary>The answer of <see cref="KernelTls.Probe"/>.</summary>
internal sealed record KernelTlsSupport(bool Available, string Reason);
