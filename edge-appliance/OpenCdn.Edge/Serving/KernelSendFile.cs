using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Win32.SafeHandles;
using OpenCdn.Edge.Metrics;
using OpenCdn.Edge.Serving.SendFile;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// The response body as a file range that the kernel copies from the page cache to the socket (<c>sendfile(2)</c>): no
/// byte of it passes through user space. Only for plaintext HTTP/1.x connections that carry a <see cref="SendFileOutput"/>;
/// HTTPS and HTTP/2 responses are written by <see cref="FileBody"/>.
/// </summary>
internal static class KernelSendFile
{
    /// <summary>
    /// Smaller bodies are copied: headers and body then leave in one send, where sendfile would cost a second send and
    /// segment, and the copy of a few kilobytes is cheaper than the system calls it saves.
    /// </summary>
    public const long MinBytes = 64 * 1024;

    /// <summary>The connection's output to insert the range into, or null when this response cannot use sendfile.</summary>
    public static SendFileOutput? OutputFor(HttpContext context, long count) =>
        count >= MinBytes
        && !context.Request.IsHttps
        && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
            ? context.Features.Get<SendFileOutput>()
            : null;

    public static async Task SendAsync(HttpContext context, SendFileOutput output, SafeFileHandle file, long from, long count, EdgeMetrics metrics, bool partial)
    {
        var response = context.Response;
        try
        {
            await response.StartAsync(context.RequestAborted);
            output.Insert(file, from, count);
            // Kestrel counts the body bytes (Content-Length holds) while the output stands the file range in for them.
            var writer = response.BodyWriter;
            for (var left = count; left > 0;)
            {
                var step = (int)Math.Min(left, writer.GetMemory().Length);
                writer.Advance(step);
                left -= step;
            }
            if ((await writer.FlushAsync(context.RequestAborted)).IsCompleted)
            {
                return; // the pump could not send it all and has ended the connection
            }
            metrics.ContentServed(partial, count);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            context.Abort(); // client gone, or the file was closed (evicted) before the kernel sent all of it
        }
    }
}
