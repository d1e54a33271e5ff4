using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// The OpenSSL <c>BIO</c> type between a connection's <c>SSL</c> and its socket: reads take ciphertext from the bytes
/// Kestrel's transport received (no copy into a buffer of the BIO's own), writes go to the socket with <c>send(2)</c>
/// straight from OpenSSL's record buffer (<see cref="TlsSession"/> keeps what the socket did not take). One BIO per
/// connection; its data pointer is a handle to the <see cref="TlsSession"/>.
/// </summary>
internal static unsafe class TlsBio
{
    private static readonly nint s_method = CreateMethod();

    public static nint Create(GCHandle session)
    {
        var bio = OpenSsl.BIO_new(s_method);
        if (bio != 0)
        {
            OpenSsl.BIO_set_data(bio, GCHandle.ToIntPtr(session));
            OpenSsl.BIO_set_init(bio, 1);
        }
        return bio;
    }

    private static nint CreateMethod()
    {
        var method = OpenSsl.BIO_meth_new(OpenSsl.BIO_get_new_index() | OpenSsl.BIO_TYPE_SOURCE_SINK, "opencdn-edge");
        if (method == 0
            || OpenSsl.BIO_meth_set_write(method, (nint)(delegate* unmanaged[Cdecl]<nint, byte*, int, int>)&Write) != 1
            || OpenSsl.BIO_meth_set_read(method, (nint)(delegate* unmanaged[Cdecl]<nint, byte*, int, int>)&Read) != 1
            || OpenSsl.BIO_meth_set_ctrl(method, (nint)(delegate* unmanaged[Cdecl]<nint, int, long, nint, long>)&Control) != 1)
        {
            throw new InvalidOperationException("OpenSSL could not define the edge's BIO type: " + OpenSsl.LastError());
        }
        return method;
    }

    private static TlsSession Session(nint bio) => (TlsSession)GCHandle.FromIntPtr(OpenSsl.BIO_get_data(bio)).Target!;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Write(nint bio, byte* data, int length)
    {
        OpenSsl.BIO_clear_flags(bio, 0x0f);
        return Session(bio).OnCiphertextOut(new ReadOnlySpan<byte>(data, length)) ? length : -1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Read(nint bio, byte* into, int length)
    {
        OpenSsl.BIO_clear_flags(bio, 0x0f);
        var read = Session(bio).OnCiphertextIn(new Span<byte>(into, length));
        if (read < 0)
        {
            OpenSsl.BIO_set_flags(bio, OpenSsl.BIO_FLAGS_READ | OpenSsl.BIO_FLAGS_SHOULD_RETRY); // BIO_set_retry_read
        }
        return read;
    }

    /// <summary>
    /// Flush succeeds (every write is already with the socket or queued). The kernel TLS controls OpenSSL sends its own
    /// socket BIO are answered for the session (<see cref="TlsSession.OnKernelTls"/>): with them, a context that asks for
    /// kTLS gets it on this BIO too. Nothing else is supported.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long Control(nint bio, int command, long number, nint pointer) => command switch
    {
        OpenSsl.BIO_CTRL_FLUSH => 1,
        OpenSsl.BIO_CTRL_SET_KTLS => Session(bio).OnKernelTls(pointer, sending: number != 0) ? 1 : 0,
        OpenSsl.BIO_CTRL_GET_KTLS_SEND => Session(bio).KernelSends ? 1 : 0,
        OpenSsl.BIO_CTRL_SET_KTLS_SEND_CTRL_MSG => Session(bio).OnControlRecord((byte)number) ? 1 : 0,
        OpenSsl.BIO_CTRL_CLEAR_KTLS_CTRL_MSG => Session(bio).OnControlRecord(0) ? 1 : 0,
        _ => 0,
    };
}
