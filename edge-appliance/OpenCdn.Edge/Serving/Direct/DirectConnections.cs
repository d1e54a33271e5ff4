using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Serving.Direct;

/// <summary>
/// Kestrel connection middleware that answers the request players send almost exclusively — a plaintext HTTP/1.1
/// <see cref="DirectRequest"/> with a valid token for a catalogued file and no Range or one satisfiable <c>bytes</c>
/// range — below Kestrel's HTTP layer, as nginx does: it parses the head, writes the response head with one
/// <c>send</c> and the body with <c>sendfile(2)</c> (or, when small, in the same send), and reads the next request.
/// At the first request it does not answer itself (any other shape, any error, TLS or HTTP/2 bytes, a head split
/// across reads) it consumes nothing and hands the connection to Kestrel, which serves it from then on with
/// <see cref="ContentEndpoints"/> and its full RFC 9110 semantics. It is installed only on endpoints without TLS, and
/// stands aside when a host allow-list (<c>AllowedHosts</c>) asks for ASP.NET Core's host filtering.
/// </summary>
internal sealed class DirectConnections(
    ContentCatalog catalog, VerifiedTokens tokens, EdgeMetrics metrics, ServingFaults faults, DirectSettings settings,
    IOptions<HostFilteringOptions> hosts)
{
    /// <summary>Smaller bodies are copied into the send of the head: one system call, where sendfile would be a second.</summary>
    private const long MinSendFileBytes = 64 * 1024;

    // With a host allow-list configured, every request goes through ASP.NET Core's host filtering (Kestrel's path).
    private readonly bool _anyHost = hosts.Value.AllowedHosts.Count == 0 || hosts.Value.AllowedHosts.Contains("*");

    public ConnectionDelegate Use(ConnectionDelegate next) => async connection =>
    {
        if (!OperatingSystem.IsLinux() || !_anyHost || connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            await next(connection); // Linux's sendfile(2) and send flags are called directly
            return;
        }
        if (await ServeAsync(connection, socket))
        {
            await next(connection);
        }
    };

    /// <summary>Serves requests until the connection ends (false) or a request is left to Kestrel (true).</summary>
    private async Task<bool> ServeAsync(ConnectionContext connection, Socket socket)
    {
        var input = connection.Transport.Input;
        var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(closing);
        using var sender = new SocketFileSender(socket, settings.SendTimeout, connection.Abort);
        while (true)
        {
            ReadResult result;
            idle.CancelAfter(settings.KeepAlive);
            try
            {
                result = await input.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException)
            {
                return false; // idle for the keep-alive timeout, or the server is stopping
            }
            catch (IOException)
            {
                return false; // the client reset the connection
            }
            idle.CancelAfter(Timeout.InfiniteTimeSpan);
            var buffer = result.Buffer;
            while (!buffer.IsEmpty)
            {
                if (!DirectRequest.TryParse(buffer, out var request, out var headLength)
                    || !ContentResponse.TryResolve(request.Path, request.Range, tokens, catalog, out var response))
                {
                    input.AdvanceTo(buffer.Start);
                    return true;
                }
                buffer = buffer.Slice(headLength);
                if (!await DirectAnswer.SentAsync(SendAsync(sender, request, response), response, connection, faults, "direct"))
                {
                    input.AdvanceTo(buffer.End);
                    return false;
                }
                if (request.Close)
                {
                    input.AdvanceTo(buffer.End);
                    return false;
                }
            }
            input.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                return false;
            }
        }
    }

    private async ValueTask<SendOutcome> SendAsync(SocketFileSender sender, DirectRequest request, ContentResponse response)
    {
        var corsLines = settings.Cors.For(request.Origin);
        var file = response.File;
        var body = request.IsHead ? 0 : response.Count;
        var copied = body < MinSendFileBytes ? (int)body : 0;
        var buffer = ArrayPool<byte>.Shared.Rent(DirectResponse.MaxBytes(file, settings.CacheControl, corsLines) + copied);
        SendOutcome outcome;
        try
        {
            var head = DirectResponse.Write(
                buffer, file, settings.CacheControl, corsLines, response.Partial, response.From, response.Count, request.Close);
            outcome = response.Read(buffer.AsSpan(head, copied), response.From);
            if (outcome == SendOutcome.Sent)
            {
                outcome = await sender.SendAsync(buffer.AsMemory(0, head + copied), fileNext: body > copied);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (outcome == SendOutcome.Sent && body > copied)
        {
            outcome = await sender.SendAsync(response.Handle, response.From, body);
        }
        if (outcome == SendOutcome.Sent)
        {
            metrics.ContentServed(response.Partial, body);
            metrics.DirectServed();
        }
        return outcome;
    }
}
