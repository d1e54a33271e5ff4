using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using OpenCdn.Contracts.Peers;

namespace OpenCdn.ControlPlane.Tests.Peers;

/// <summary>A viewer on the peer signalling socket whose connection leaves from a chosen 127.x.y.z address.</summary>
internal sealed class SignalClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly HttpMessageInvoker _invoker;

    private SignalClient(string source)
    {
        var address = IPAddress.Parse(source);
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(address, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
    }

    public PeerMessage Welcome { get; private set; } = null!;

    public WebSocket Socket => _socket;

    /// <summary>Connects from <paramref name="source"/> with <paramref name="sessionId"/> and reads the welcome.</summary>
    public static async Task<SignalClient> JoinAsync(Uri baseUrl, string source, string sessionId)
    {
        var client = new SignalClient(source);
        var url = new UriBuilder(baseUrl) { Scheme = "ws", Path = $"/api/v1/peers/{sessionId}/signal" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client._socket.ConnectAsync(url, client._invoker, timeout.Token);
        client.Welcome = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed before the welcome");
        return client;
    }

    public async Task SendAsync(object message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, PeerJson.Options);
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    /// <summary>The next message, or null when the server closed the socket; fails after five seconds.</summary>
    public async Task<PeerMessage?> ReceiveAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(5));
        var buffer = new byte[64 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return result.MessageType == WebSocketMessageType.Close
            ? null
            : JsonSerializer.Deserialize<PeerMessage>(buffer.AsSpan(0, length), PeerJson.Options);
    }

    /// <summary>True when nothing arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> QuietAsync(TimeSpan wait)
    {
        try
        {
            await ReceiveAsync(wait);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        _socket.Dispose();
        _invoker.Dispose();
    }
}
