using System.Net;
using System.Net.Sockets;
using OpenCdn.Edge.Serving;
using OpenCdn.Edge.Serving.Direct;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// The sender calls sendfile(2) itself on the connection's socket. In production it runs on the thread that reads every
/// connection (inline socket completions), so it must never wait for a client: a full socket buffer returns the call to
/// its caller, and the rest goes out when the reader drains it.
/// </summary>
public sealed class SocketFileSenderTests
{
    [Fact]
    public async Task FullSocketBuffer_ReturnsToTheCaller_AndTheRestGoesOnceTheReaderDrains()
    {
        using var folder = new TempFolder();
        var bytes = TestContent.Bytes(24 * 1024 * 1024); // more than loopback socket buffers hold
        var path = Path.Combine(folder.Path, "video.mp4");
        await File.WriteAllBytesAsync(path, bytes);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var (client, server) = await ConnectedPairAsync();
        using (client)
        using (server)
        using (var sender = new SocketFileSender(server, TimeSpan.FromMinutes(1), abort: () => { }))
        {
            var header = "HTTP/1.1 200 OK\r\n\r\n"u8.ToArray();
            await sender.SendAsync(header, fileNext: true);

            var call = Task.Factory.StartNew(() => sender.SendAsync(file, 0, bytes.Length).AsTask(), TaskCreationOptions.LongRunning);
            var returned = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(10))) == call;

            Assert.True(returned, "the sender waited for the client with its thread");
            var sending = await call;
            Assert.False(sending.IsCompleted, "a client that reads nothing cannot have taken 24 MiB");
            var received = new byte[header.Length + bytes.Length];
            await ReadExactlyAsync(client, received);
            Assert.Equal(SendOutcome.Sent, await sending.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(header, received[..header.Length]);
            Assert.True(received.AsSpan(header.Length).SequenceEqual(bytes), "the body differs from the file");
        }
    }

    [Fact]
    public async Task RangePastTheEndOfTheFile_IsFileShort_AfterSendingWhatTheFileHas()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "video.mp4");
        await File.WriteAllBytesAsync(path, TestContent.Bytes(1000));
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var (client, server) = await ConnectedPairAsync();
        using (client)
        using (server)
        using (var sender = new SocketFileSender(server, TimeSpan.FromMinutes(1), abort: () => { }))
        {
            Assert.Equal(SendOutcome.FileShort, await sender.SendAsync(file, 500, 1000));
            var received = new byte[500];
            await ReadExactlyAsync(client, received);
        }
    }

    /// <summary>
    /// A loopback connection whose server side has done an asynchronous operation, as Kestrel's receive loop does before
    /// any request: from then on .NET keeps the socket non-blocking.
    /// </summary>
    private static async Task<(Socket Client, Socket Server)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 64 * 1024 };
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await listener.AcceptAsync();
        await client.SendAsync("GET"u8.ToArray());
        Assert.Equal(3, await server.ReceiveAsync(new byte[3]));
        return (client, server);
    }

    private static async Task ReadExactlyAsync(Socket socket, byte[] into)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var at = 0; at < into.Length;)
        {
            var read = await socket.ReceiveAsync(into.AsMemory(at), timeout.Token);
            Assert.True(read > 0, "the connection ended early");
            at += read;
        }
    }
}
