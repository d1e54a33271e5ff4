using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// One OpenSSL <c>SSL_CTX</c> for an HTTPS endpoint: its certificate, private key and chain (taken from the
/// certificate Kestrel loaded for the endpoint), TLS 1.2 or newer, ALPN <c>h2</c> (when the endpoint speaks HTTP/2) and
/// <c>http/1.1</c>, a server-side session cache, and <c>SSL_MODE_RELEASE_BUFFERS</c>: an idle connection holds no record
/// buffer. Lives as long as the endpoint (the process).
/// </summary>
internal sealed unsafe class TlsContext
{
    private static readonly byte* s_http2AndHttp11 = ProtocolList("\u0002h2\u0008http/1.1"u8);
    private static readonly byte* s_http11 = ProtocolList("\u0008http/1.1"u8);

    private TlsContext(nint handle, bool kernelTls)
    {
        Handle = handle;
        KernelTls = kernelTls;
    }

    public nint Handle { get; }

    /// <summary>True when connections ask OpenSSL to hand the record layer to the kernel (<c>SSL_OP_ENABLE_KTLS</c>).</summary>
    public bool KernelTls { get; }

    /// <summary>A context for <paramref name="certificate"/>, or null with the reason (a key OpenSSL cannot take, a bad chain).</summary>
    public static TlsContext? Create(
        X509Certificate2 certificate, X509Certificate2Collection? chain, bool http2, bool kernelTls, out string? reason)
    {
        reason = null;
        var ctx = OpenSsl.SSL_CTX_new(OpenSsl.TLS_server_method());
        if (ctx == 0)
        {
            reason = OpenSsl.LastError();
            return null;
        }
        if (!TryConfigure(ctx, certificate, chain, http2, kernelTls, out reason))
        {
            OpenSsl.SSL_CTX_free(ctx);
            return null;
        }
        return new TlsContext(ctx, kernelTls);
    }

    private static bool TryConfigure(
        nint ctx, X509Certificate2 certificate, X509Certificate2Collection? chain, bool http2, bool kernelTls, out string? reason)
    {
        reason = null;
        var options = OpenSsl.SSL_OP_NO_RENEGOTIATION | (kernelTls ? OpenSsl.SSL_OP_ENABLE_KTLS : 0);
        OpenSsl.SSL_CTX_set_options(ctx, options);
        OpenSsl.SSL_CTX_ctrl(ctx, OpenSsl.SSL_CTRL_MODE, OpenSsl.SSL_MODE_RELEASE_BUFFERS, 0);
        OpenSsl.SSL_CTX_ctrl(ctx, OpenSsl.SSL_CTRL_SET_MIN_PROTO_VERSION, OpenSsl.TLS1_2_VERSION, 0);
        OpenSsl.SSL_CTX_set_session_id_context(ctx, "opencdn-edge"u8, 12);
        var leaf = ReadCertificate(certificate.RawData);
        if (leaf == 0 || OpenSsl.SSL_CTX_use_certificate(ctx, leaf) != 1)
        {
            reason = "the certificate: " + OpenSsl.LastError();
            OpenSsl.X509_free(leaf);
            return false;
        }
        OpenSsl.X509_free(leaf); // the context holds its own reference
        if (!TryUseKey(ctx, certificate, out reason))
        {
            return false;
        }
        foreach (var link in chain ?? [])
        {
            if (link.Thumbprint == certificate.Thumbprint)
            {
                continue;
            }
            var x509 = ReadCertificate(link.RawData);
            if (x509 == 0 || OpenSsl.SSL_CTX_ctrl(ctx, OpenSsl.SSL_CTRL_CHAIN_CERT, 1, x509) != 1) // SSL_CTX_add1_chain_cert
            {
                reason = "the certificate chain: " + OpenSsl.LastError();
                OpenSsl.X509_free(x509);
                return false;
            }
            OpenSsl.X509_free(x509);
        }
        OpenSsl.SSL_CTX_set_alpn_select_cb(ctx, (nint)(delegate* unmanaged[Cdecl]<nint, byte**, byte*, byte*, uint, nint, int>)&SelectProtocol,
            (nint)(http2 ? s_http2AndHttp11 : s_http11));
        return true;
    }

    private static bool TryUseKey(nint ctx, X509Certificate2 certificate, out string? reason)
    {
        reason = null;
        byte[] pkcs8;
        try
        {
            using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey();
            if (key is null)
            {
                reason = "the certificate has no RSA or ECDSA private key";
                return false;
            }
            pkcs8 = key.ExportPkcs8PrivateKey();
        }
        catch (CryptographicException e)
        {
            reason = "its private key cannot be exported (" + e.Message + ")";
            return false;
        }
        try
        {
            nint pkey;
            fixed (byte* start = pkcs8)
            {
                var cursor = start;
                pkey = OpenSsl.d2i_AutoPrivateKey(0, &cursor, pkcs8.Length);
            }
            if (pkey == 0 || OpenSsl.SSL_CTX_use_PrivateKey(ctx, pkey) != 1 || OpenSsl.SSL_CTX_check_private_key(ctx) != 1)
            {
                reason = "the private key: " + OpenSsl.LastError();
                OpenSsl.EVP_PKEY_free(pkey);
                return false;
            }
            OpenSsl.EVP_PKEY_free(pkey);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static nint ReadCertificate(byte[] der)
    {
        fixed (byte* start = der)
        {
            var cursor = start;
            return OpenSsl.d2i_X509(0, &cursor, der.Length);
        }
    }

    /// <summary>The server's ALPN choice: its first protocol the client offers; none offered in common, no ALPN at all (Kestrel's default).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SelectProtocol(nint ssl, byte** output, byte* outputLength, byte* client, uint clientLength, nint serverList)
    {
        var server = (byte*)serverList;
        var length = *(uint*)server;
        var chosen = OpenSsl.SSL_select_next_proto(output, outputLength, server + sizeof(uint), length, client, clientLength);
        return chosen == OpenSsl.OPENSSL_NPN_NEGOTIATED
            ? OpenSsl.SSL_TLSEXT_ERR_OK
            : OpenSsl.SSL_TLSEXT_ERR_NOACK;
    }

    /// <summary>A length-prefixed copy of an ALPN wire list in native memory, kept for the process (OpenSSL points into it).</summary>
    private static byte* ProtocolList(ReadOnlySpan<byte> wire)
    {
        var memory = (byte*)NativeMemory.Alloc((nuint)(sizeof(uint) + wire.Length));
        *(uint*)memory = (uint)wire.Length;
        wire.CopyTo(new Span<byte>(memory + sizeof(uint), wire.Length));
        return memory;
    }
}
