using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// Gives Kestrel a connection whose TLS session the direct TLS path already holds: Kestrel reads and writes plaintext
/// through two pipes, and two pumps move it through the session (the ciphertext in from Kestrel's transport, out on the
/// socket). Kestrel's own HTTPS middleware stands aside (the connection has its TLS feature), so Kestrel serves HTTP/1.1
/// and HTTP/2 with its full semantics over the session. Outgoing plaintext is encrypted in records of up to 16 KiB
/// (nginx's <c>ssl_buffer_size</c>), not one record per 4 KiB pipe segment.
/// </summary>
internal static class TlsHandoff
{
    private const int RecordBytes = 16 * 1024;

    /// <summary>Runs <paramref name="next"/> over the session; <paramref name="received"/> is plaintext already decrypted and not answered.</summary>
    public static async Task RunAsync(ConnectionContext connection, TlsSession session, ReadOnlyMemory<byte> received, ConnectionDelegate next)
    {
        var transport = connection.Transport;
        var pool = connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool;
        var toKestrel = new Pipe(new PipeOptions(pool, useSynchronizationContext: false));
        var fromKestrel = new Pipe(new PipeOptions(pool, useSynchronizationContext: false));
        if (!received.IsEmpty)
        {
            toKestrel.Writer.Write(received.Span);
        }
        var decrypting = DecryptAsync(transport.Input, session, toKestrel.Writer);
        var encrypting = EncryptAsync(fromKestrel.Reader, session, connection);
        connection.Transport = new DuplexPipe(toKestrel.Reader, fromKestrel.Writer);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
            await fromKestrel.Writer.CompleteAsync(); // Kestrel is done with the connection: what it wrote goes out, then the pump ends
            await encrypting;
            await toKestrel.Reader.CompleteAsync();
            transport.Input.CancelPendingRead();
            await decrypting;
        }
    }

    private static async Task DecryptAsync(PipeReader ciphertext, TlsSession session, PipeWriter plaintext)
    {
        try
        {
            // OpenSSL may already hold plaintext the direct path did not read: take it before waiting for the client.
            session.Feed(ReadOnlySequence<byte>.Empty, ended: false);
            var status = Drain(session, plaintext);
            if (status == TlsStatus.Closed || (await plaintext.FlushAsync()).IsCompleted)
            {
                return;
            }
            while (true)
            {
                var result = await ciphertext.ReadAsync();
                if (result.IsCanceled)
                {
                    return;
                }
                session.Feed(result.Buffer, result.IsCompleted);
                status = Drain(session, plaintext);
                session.AdvancePast(ciphertext, result, status);
                if (session.HasPending && await session.FlushAsync() != SendOutcome.Sent)
                {
                    return;
                }
                if ((await plaintext.FlushAsync()).IsCompleted || status == TlsStatus.Closed)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // the client reset the connection, or Kestrel completed its side while a read was in flight
        }
        finally
        {
            await plaintext.CompleteAsync();
        }
    }

    private static TlsStatus Drain(TlsSession session, PipeWriter plaintext)
    {
        while (true)
        {
            var read = session.Read(plaintext.GetSpan(RecordBytes), out var status);
            if (status != TlsStatus.Done)
            {
                return status;
            }
            plaintext.Advance(read);
        }
    }

    private static async Task EncryptAsync(PipeReader plaintext, TlsSession session, ConnectionContext connection)
    {
        var stage = ArrayPool<byte>.Shared.Rent(RecordBytes);
        var whole = false;
        try
        {
            while (true)
            {
                var result = await plaintext.ReadAsync();
                var buffer = result.Buffer;
                if (!Encrypt(session, buffer, stage) || (session.HasPending && await session.FlushAsync() != SendOutcome.Sent))
                {
                    connection.Abort();
                    return;
                }
                plaintext.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    whole = true;
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stage);
            await plaintext.CompleteAsync();
            if (whole)
            {
                session.Close();
            }
        }
    }

    /// <summary>Writes <paramref name="buffer"/> in records of up to 16 KiB: segments are gathered in <paramref name="stage"/> first.</summary>
    private static bool Encrypt(TlsSession session, ReadOnlySequence<byte> buffer, byte[] stage)
    {
        if (buffer.IsSingleSegment)
        {
            return buffer.IsEmpty || session.Write(buffer.FirstSpan);
        }
        while (!buffer.IsEmpty)
        {
            var count = (int)Math.Min(buffer.Length, stage.Length);
            buffer.Slice(0, count).CopyTo(stage);
            if (!session.Write(stage.AsSpan(0, count)))
            {
                return false;
            }
            buffer = buffer.Slice(count);
        }
        return true;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
