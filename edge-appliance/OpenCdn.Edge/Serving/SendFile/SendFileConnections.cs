using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace OpenCdn.Edge.Serving.SendFile;

/// <summary>
/// Kestrel connection middleware that gives each socket connection a <see cref="SendFileOutput"/> (exposed as a
/// connection feature) and a <see cref="SendFilePump"/> in place of the transport's sender. It must sit below TLS; the
/// content path uses it only for plaintext HTTP/1.x requests (<see cref="ContentFastPath"/> checks), so TLS and HTTP/2
/// bytes just pass through it.
/// </summary>
internal static class SendFileConnections
{
    public static ConnectionDelegate Use(ConnectionDelegate next) => async connection =>
    {
        if (!OperatingSystem.IsLinux() || connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            // Linux's sendfile(2) and send flags are called directly; elsewhere every body is written by FileBody.
            await next(connection);
            return;
        }
        var transport = connection.Transport;
        var pool = connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool;
        var pipe = new Pipe(new PipeOptions(pool, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
        var output = new SendFileOutput(pipe.Writer, pipe.Reader);
        var pump = new SendFilePump(pipe.Reader, output, socket, transport.Output).RunAsync(connection.Abort);
        connection.Transport = new DuplexPipe(transport.Input, output);
        connection.Features.Set(output);
        try
        {
            await next(connection);
        }
        finally
        {
            await output.CompleteAsync();
            await pump;
            connection.Transport = transport;
        }
    };

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
