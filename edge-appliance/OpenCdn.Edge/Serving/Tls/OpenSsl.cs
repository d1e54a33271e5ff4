using System.Runtime.InteropServices;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// The few OpenSSL 3 calls the direct TLS path makes (libssl.so.3 and libcrypto.so.3, on every Debian host). Macros of
/// the C API (<c>SSL_CTX_set_mode</c>, <c>SSL_CTX_set_min_proto_version</c>, <c>BIO_set_retry_read</c>…) are spelled out
/// here as the calls they expand to.
/// </summary>
internal static partial class OpenSsl
{
    private const string Ssl = "libssl.so.3";
    private const string Crypto = "libcrypto.so.3";

    public const int SSL_ERROR_SSL = 1;
    public const int SSL_ERROR_WANT_READ = 2;
    public const int SSL_ERROR_WANT_WRITE = 3;
    public const int SSL_ERROR_SYSCALL = 5;
    public const int SSL_ERROR_ZERO_RETURN = 6;

    public const int SSL_CTRL_MODE = 33;
    public const int SSL_CTRL_CHAIN_CERT = 89;
    public const int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
    public const int TLS1_2_VERSION = 0x0303;
    public const long SSL_MODE_RELEASE_BUFFERS = 0x10;
    public const ulong SSL_OP_ENABLE_KTLS = 1UL << 3;
    public const ulong SSL_OP_NO_RENEGOTIATION = 1UL << 30;

    public const int SSL_TLSEXT_ERR_OK = 0;
    public const int SSL_TLSEXT_ERR_NOACK = 3;
    public const int OPENSSL_NPN_NEGOTIATED = 1;

    public const int BIO_TYPE_SOURCE_SINK = 0x0400;
    public const int BIO_FLAGS_READ = 0x01;
    public const int BIO_FLAGS_SHOULD_RETRY = 0x08;
    public const int BIO_CTRL_FLUSH = 11;
    public const int BIO_CTRL_SET_KTLS = 72; // internal to OpenSSL's BIOs: the keys for the kernel, num 1 for sending
    public const int BIO_CTRL_GET_KTLS_SEND = 73;
    public const int BIO_CTRL_SET_KTLS_SEND_CTRL_MSG = 74; // internal: the next write is one record of type num
    public const int BIO_CTRL_CLEAR_KTLS_CTRL_MSG = 75; // internal

    [LibraryImport(Ssl)]
    public static partial nint TLS_server_method();

    [LibraryImport(Ssl)]
    public static partial nint SSL_CTX_new(nint method);

    [LibraryImport(Ssl)]
    public static partial void SSL_CTX_free(nint ctx);

    [LibraryImport(Ssl)]
    public static partial long SSL_CTX_ctrl(nint ctx, int cmd, long larg, nint parg);

    [LibraryImport(Ssl)]
    public static partial ulong SSL_CTX_set_options(nint ctx, ulong options);

    [LibraryImport(Ssl)]
    public static partial int SSL_CTX_use_certificate(nint ctx, nint x509);

    [LibraryImport(Ssl)]
    public static partial int SSL_CTX_use_PrivateKey(nint ctx, nint pkey);

    [LibraryImport(Ssl)]
    public static partial int SSL_CTX_check_private_key(nint ctx);

    [LibraryImport(Ssl)]
    public static partial int SSL_CTX_set_session_id_context(nint ctx, ReadOnlySpan<byte> context, uint length);

    [LibraryImport(Ssl)]
    public static partial void SSL_CTX_set_alpn_select_cb(nint ctx, nint callback, nint arg);

    [LibraryImport(Ssl)]
    public static unsafe partial int SSL_select_next_proto(
        byte** output, byte* outputLength, byte* server, uint serverLength, byte* client, uint clientLength);

    [LibraryImport(Ssl)]
    public static partial nint SSL_new(nint ctx);

    [LibraryImport(Ssl)]
    public static partial void SSL_free(nint ssl);

    [LibraryImport(Ssl)]
    public static partial void SSL_set_bio(nint ssl, nint readBio, nint writeBio);

    [LibraryImport(Ssl)]
    public static partial void SSL_set_accept_state(nint ssl);

    [LibraryImport(Ssl)]
    public static partial int SSL_do_handshake(nint ssl);

    [LibraryImport(Ssl)]
    public static partial int SSL_read(nint ssl, ref byte buffer, int count);

    [LibraryImport(Ssl)]
    public static partial int SSL_write(nint ssl, ref byte buffer, int count);

    [LibraryImport(Ssl)]
    public static partial int SSL_get_error(nint ssl, int result);

    [LibraryImport(Ssl)]
    public static partial int SSL_shutdown(nint ssl);

    [LibraryImport(Ssl)]
    public static partial int SSL_version(nint ssl);

    [LibraryImport(Ssl)]
    public static unsafe partial void SSL_get0_alpn_selected(nint ssl, byte** data, uint* length);

    [LibraryImport(Crypto)]
    public static unsafe partial nint d2i_X509(nint reuse, byte** input, long length);

    [LibraryImport(Crypto)]
    public static partial void X509_free(nint x509);

    [LibraryImport(Crypto)]
    public static unsafe partial nint d2i_AutoPrivateKey(nint reuse, byte** input, long length);

    [LibraryImport(Crypto)]
    public static partial void EVP_PKEY_free(nint pkey);

    [LibraryImport(Crypto)]
    public static partial int BIO_get_new_index();

    [LibraryImport(Crypto, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint BIO_meth_new(int type, string name);

    [LibraryImport(Crypto)]
    public static partial int BIO_meth_set_write(nint method, nint write);

    [LibraryImport(Crypto)]
    public static partial int BIO_meth_set_read(nint method, nint read);

    [LibraryImport(Crypto)]
    public static partial int BIO_meth_set_ctrl(nint method, nint ctrl);

    [LibraryImport(Crypto)]
    public static partial int BIO_meth_set_create(nint method, nint create);

    [LibraryImport(Crypto)]
    public static partial nint BIO_new(nint method);

    [LibraryImport(Crypto)]
    public static partial void BIO_set_data(nint bio, nint data);

    [LibraryImport(Crypto)]
    public static partial nint BIO_get_data(nint bio);

    [LibraryImport(Crypto)]
    public static partial void BIO_set_init(nint bio, int init);

    [LibraryImport(Crypto)]
    public static partial void BIO_set_flags(nint bio, int flags);

    [LibraryImport(Crypto)]
    public static partial void BIO_clear_flags(nint bio, int flags);

    [LibraryImport(Crypto)]
    public static partial ulong ERR_get_error();

    [LibraryImport(Crypto)]
    public static partial void ERR_clear_error();

    [LibraryImport(Crypto)]
    public static partial void ERR_error_string_n(ulong error, ref byte buffer, nuint length);

    /// <summary>The oldest error on this thread's OpenSSL queue as text (the queue is emptied), for start-up messages.</summary>
    public static string LastError()
    {
        var code = ERR_get_error();
        ERR_clear_error();
        if (code == 0)
        {
            return "no OpenSSL error reported";
        }
        Span<byte> text = stackalloc byte[256];
        ERR_error_string_n(code, ref text[0], (nuint)text.Length);
        return System.Text.Encoding.ASCII.GetString(text[..text.IndexOf((byte)0)]);
    }
}
