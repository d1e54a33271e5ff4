using System.Buffers;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// What the session's BIO (<see cref="TlsBio"/>) calls while OpenSSL runs under the session's gate: ciphertext in from
/// what <see cref="Feed"/> gave, records out to the socket or the queue, and, under kernel TLS, the keys and the record
/// types handed to the kernel.
/// </summary>
internal sealed partial class TlsSession
{
    /// <summary>The BIO's read: ciphertext from what <see cref="Feed"/> gave; -1 (retry) when none is left yet, 0 at the end of the input.</summary>
    internal int OnCiphertextIn(Span<byte> into)
    {
        if (_input.IsEmpty)
        {
            return _inputEnded ? 0 : -1;
        }
        var count = (int)Math.Min(into.Length, _input.Length);
        _input.Slice(0, count).CopyTo(into);
        _input = _input.Slice(count);
        return count;
    }

    /// <summary>
    /// The BIO's kernel TLS control (in the handshake): OpenSSL offers one direction's keys. Only sending's are taken, and
    /// only with nothing queued: bytes the socket has not taken yet are ciphertext, which the kernel would encrypt again.
    /// </summary>
    internal bool OnKernelTls(nint cryptoInfo, bool sending)
    {
        if (!sending || _pending.Length > 0 || _flushing || _failed)
        {
            return false;
        }
        KernelSends = KernelTlsSocket.TryStartSending(Socket, cryptoInfo, out _);
        KernelRefused = !KernelSends;
        return KernelSends;
    }

    /// <summary>The BIO's control before a record that is not application data (0 after it), under kTLS.</summary>
    internal bool OnControlRecord(byte recordType)
    {
        _controlRecord = recordType;
        return KernelSends;
    }

    /// <summary>The BIO's write (under the gate): sent now while nothing is queued before it, the rest queued in order.</summary>
    internal bool OnCiphertextOut(ReadOnlySpan<byte> records)
    {
        if (_failed)
        {
            return false;
        }
        if (KernelSends && _controlRecord != 0)
        {
            // An alert or a session ticket: one sendmsg with its record type, in order, whole (they are a few hundred bytes).
            var sent = _pending.Length == 0 && !_flushing && KernelTlsSocket.TrySendRecord(Socket, _controlRecord, records);
            _controlRecord = 0;
            _failed = !sent;
            return sent;
        }
        var taken = 0;
        if (_pending.Length == 0 && !_flushing && !NonBlockingSend.TrySend(Socket, records, out taken))
        {
            _failed = true; // EPIPE, ECONNRESET, the socket closed (aborted): the client is gone
            return false;
        }
        if (taken < records.Length)
        {
            _pending.Append(records[taken..]);
        }
        return true;
    }
}
