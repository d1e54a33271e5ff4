using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// One connection's OpenSSL <c>SSL</c>, server side. Ciphertext comes in from the bytes Kestrel's transport received
/// (<see cref="Feed"/>) and goes out on the socket with <c>send(2)</c>, straight from OpenSSL's record buffer; what the
/// socket cannot take at once is kept (<see cref="HasPending"/>) and sent by <see cref="FlushAsync"/> when it is
/// writable, within the stall timeout. Calls into OpenSSL are serialised (a handed-off connection reads and writes from
/// two tasks); between them the session holds no buffer of its own.
/// </summary>
internal sealed partial class TlsSession : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly TimeSpan _stallTimeout;
    private readonly Action _abort;
    private GCHandle _self;
    private nint _ssl;
    private ReadOnlySequence<byte> _input;
    private bool _inputEnded;
    private readonly PendingCiphertext _pending = new();
    private bool _flushing;
    private bool _failed;
    private volatile bool _stalled;
    private byte _controlRecord;

    private TlsSession(Socket socket, TimeSpan stallTimeout, Action abort)
    {
        Socket = socket;
        _stallTimeout = stallTimeout;
        _abort = abort;
    }

    /// <summary>A session in the accept state on <paramref name="socket"/>; null when OpenSSL cannot allocate one or the socket is closed.</summary>
    public static TlsSession? Start(TlsContext context, Socket socket, TimeSpan stallTimeout, Action abort)
    {
        var session = new TlsSession(socket, stallTimeout, abort);
        session._self = GCHandle.Alloc(session);
        session._ssl = OpenSsl.SSL_new(context.Handle);
        var bio = session._ssl == 0 ? 0 : TlsBio.Create(session._self);
        if (bio == 0)
        {
            session.Dispose();
            return null;
        }
        OpenSsl.SSL_set_bio(session._ssl, bio, bio); // the SSL owns the BIO now
        OpenSsl.SSL_set_accept_state(session._ssl);
        return session;
    }

    /// <summary>True while ciphertext is waiting for the socket to become writable (<see cref="FlushAsync"/> sends it).</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Length > 0;
            }
        }
    }

    /// <summary>True once the kernel encrypts what this session sends (kTLS): <see cref="Socket"/> takes plaintext, <c>sendfile</c> too.</summary>
    public bool KernelSends { get; private set; }

    /// <summary>True when OpenSSL offered this session's sending keys to the kernel and the kernel refused them (user space goes on).</summary>
    public bool KernelRefused { get; private set; }

    public Socket Socket { get; }

    /// <summary>The client stopped taking bytes for the stall timeout and the connection was aborted.</summary>
    public bool Stalled => _stalled;


    /// <summary>Hands OpenSSL the ciphertext received so far; <paramref name="ended"/> once the client has sent its last byte.</summary>
    public void Feed(in ReadOnlySequence<byte> ciphertext, bool ended)
    {
        _input = ciphertext;
        _inputEnded = ended;
    }

    /// <summary>
    /// Advances <paramref name="input"/> past the ciphertext OpenSSL took of <paramref name="read"/> (given to
    /// <see cref="Feed"/>): the rest stays unconsumed for the next read, and all of it counts as examined when OpenSSL needs
    /// more (<paramref name="status"/>), so that the next read waits for new bytes.
    /// </summary>
    public void AdvancePast(PipeReader input, in ReadResult read, TlsStatus status) =>
        input.AdvanceTo(_input.Start, status == TlsStatus.NeedsInput ? read.Buffer.End : _input.Start);

    /// <summary>The protocol ALPN chose (<c>h2</c>, <c>http/1.1</c>), empty without ALPN.</summary>
    public unsafe byte[] ApplicationProtocol()
    {
        byte* data;
        uint length;
        lock (_gate)
        {
            OpenSsl.SSL_get0_alpn_selected(_ssl, &data, &length);
            return new ReadOnlySpan<byte>(data, (int)length).ToArray();
        }
    }

    public TlsStatus Handshake()
    {
        lock (_gate)
        {
            var result = OpenSsl.SSL_do_handshake(_ssl);
            return result == 1 ? TlsStatus.Done : Status(result);
        }
    }

    /// <summary>Decrypts into <paramref name="into"/>; the count of plaintext bytes when <see cref="TlsStatus.Done"/>.</summary>
    public int Read(Span<byte> into, out TlsStatus status)
    {
        lock (_gate)
        {
            var read = OpenSsl.SSL_read(_ssl, ref MemoryMarshal.GetReference(into), into.Length);
            status = read > 0 ? TlsStatus.Done : Status(read);
            return Math.Max(read, 0);
        }
    }

    /// <summary>
    /// Decrypts into <paramref name="plain"/> after <paramref name="end"/> (moving the unread bytes from
    /// <paramref name="start"/> to the front when the end is reached) until OpenSSL needs input, the session closed, or the
    /// buffer is full (Done).
    /// </summary>
    public TlsStatus ReadInto(byte[] plain, ref int start, ref int end)
    {
        while (true)
        {
            if (end == plain.Length)
            {
                if (start == 0)
                {
                    return TlsStatus.Done;
                }
                plain.AsSpan(start, end - start).CopyTo(plain);
                (start, end) = (0, end - start);
            }
            var read = Read(plain.AsSpan(end), out var status);
            if (status != TlsStatus.Done)
            {
                return status;
            }
            end += read;
        }
    }

    /// <summary>Encrypts all of <paramref name="plaintext"/> and sends or queues the records; false when the connection failed.</summary>
    public bool Write(ReadOnlySpan<byte> plaintext)
    {
        lock (_gate)
        {
            if (_failed)
            {
                return false;
            }
            var written = OpenSsl.SSL_write(_ssl, ref MemoryMarshal.GetReference(plaintext), plaintext.Length);
            if (written != plaintext.Length)
            {
                OpenSsl.ERR_clear_error();
                _failed = true;
            }
            return !_failed;
        }
    }

    /// <summary>Sends the TLS <c>close_notify</c> alert, if the socket takes it now; the connection ends after it.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (!_failed && _pending.Length == 0)
            {
                if (OpenSsl.SSL_shutdown(_ssl) < 0)
                {
                    OpenSsl.ERR_clear_error(); // the client is gone: nothing to tell it
                }
            }
        }
    }

    /// <summary>Sends the queued ciphertext once the socket takes it: <see cref="SendOutcome.Sent"/>, or the client gone or stalled.</summary>
    public async ValueTask<SendOutcome> FlushAsync()
    {
        await _sendGate.WaitAsync();
        try
        {
            while (true)
            {
                byte[] chunk;
                int length;
                lock (_gate)
                {
                    if (_failed)
                    {
                        _flushing = false;
                        return ClientOutcome();
                    }
                    if (_pending.Length == 0)
                    {
                        _flushing = false;
                        return SendOutcome.Sent;
                    }
                    (chunk, length) = _pending.Take();
                    _flushing = true;
                }
                try
                {
                    if (!await NonBlockingSend.SendAllAsync(Socket, chunk.AsMemory(0, length), _stallTimeout, this, OnStall))
                    {
                        lock (_gate)
                        {
                            _failed = true;
                        }
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                }
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_ssl != 0)
            {
                OpenSsl.SSL_free(_ssl); // and its BIO
                _ssl = 0;
            }
            _pending.Release();
        }
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    private static void OnStall(object? state)
    {
        var session = (TlsSession)state!;
        session._stalled = true;
        session._abort();
    }

    private SendOutcome ClientOutcome() => _stalled ? SendOutcome.Stalled : SendOutcome.ClientGone;

    private TlsStatus Status(int result)
    {
        var error = OpenSsl.SSL_get_error(_ssl, result);
        if (error == OpenSsl.SSL_ERROR_WANT_READ && !_failed)
        {
            return TlsStatus.NeedsInput;
        }
        OpenSsl.ERR_clear_error();
        return TlsStatus.Closed;
    }
}
