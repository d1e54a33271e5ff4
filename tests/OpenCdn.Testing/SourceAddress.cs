using System.Net;
using System.Net.Sockets;

namespace OpenCdn.Testing;

/// <summary>HTTP clients whose connections leave from a chosen local address (any 127.x.y.z, or ::1): a viewer somewhere.</summary>
public static class SourceAddress
{
    public static HttpClient Client(string source, Uri baseAddress)
    {
        var address = IPAddress.Parse(source);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(address, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(1) };
    }
}
