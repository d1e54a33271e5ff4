using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace OpenCdn.Edge.Tests.Support;

/// <summary>
/// HTTP/1.1 written and read byte for byte on one TCP connection, for what HttpClient hides: pipelining, exact heads. An
/// <c>https</c> base URL puts TLS under it (ALPN <c>http/1.1</c>, the tests' self-signed certificate for 127.0.0.1 accepted).
/// </summary>
public sealed class RawHttp : IDisposable
{
    private readonly TcpClient _client = new();
    private Stream _stream = null!;

    /// <summary>The bytes received as they came off the socket (before TLS), when connected with <c>recordWire</c>.</summary>
    public RecordingStream? Wire { get; private set; }

    /// <summary>
    /// Connects to the server at <paramref name="baseUrl"/>; a small <paramref name="receiveBufferSize"/> makes the
    /// server wait sooner.
    /// </summary>
    public static async Task<RawHttp> ConnectAsync(Uri baseUrl, int receiveBufferSize = 0, bool recordWire = false)
    {
        var raw = new RawHttp();
        if (receiveBufferSize > 0)
        {
            raw._client.ReceiveBufferSize = receiveBufferSize;
        }
        await raw._client.ConnectAsync(baseUrl.Host, baseUrl.Port);
        raw._stream = raw._client.GetStream();
        if (recordWire)
        {
            raw._stream = raw.Wire = new RecordingStream(raw._stream);
        }
        if (baseUrl.Scheme == Uri.UriSchemeHttps)
        {
            var tls = new SslStream(raw._stream);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = baseUrl.Host,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=127.0.0.1", // the tests' self-signed one
            });
            raw._stream = tls;
        }
        return raw;
    }

    public static string Request(string method, string path, params string[] headers) =>
        $"{method} {path} HTTP/1.1\r\nHost: edge\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n";

    public Task SendAsync(string requests) => _stream.WriteAsync(Encoding.Latin1.GetBytes(requests)).AsTask(); // byte for byte

    /// <summary>Reads one response: the head, then exactly Content-Length body bytes (none for HEAD and 304).</summary>
    public async Task<RawResponse> ReadAsync(bool head = false)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _stream.ReadAsync(one) == 0)
            {
                throw new IOException("The connection ended inside a response head.");
            }
            text.Append((char)one[0]);
        }
        var lines = text.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines[1..].Select(l => l.Split(':', 2)).ToDictionary(p => p[0].ToLowerInvariant(), p => p[1].Trim());
        var status = int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture);
        var length = head || status == 304 || !headers.TryGetValue("content-length", out var value)
            ? 0
            : int.Parse(value, CultureInfo.InvariantCulture);
        var body = new byte[length];
        await _stream.ReadExactlyAsync(body);
        return new RawResponse(status, headers, body);
    }

    /// <summary>
    /// Reads whatever arrives until the server ends the connection (a close or a reset: <c>Closed</c>) or
    /// <paramref name="within"/> has passed with it still open.
    /// </summary>
    public async Task<(byte[] Received, bool Closed)> ReadUntilClosedAsync(TimeSpan within)
    {
        var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _stream.CopyToAsync(received, timeout.Token);
            return (received.ToArray(), true);
        }
        catch (IOException)
        {
            return (received.ToArray(), true); // reset
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (received.ToArray(), false);
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _client.Dispose();
    }
}

/// <summary>A response as read by <see cref="RawHttp"/>; header names in lower case.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body);
