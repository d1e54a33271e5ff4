namespace OpenCdn.Edge.Serving.Tls;

/// <summary>How a TLS step ended.</summary>
internal enum TlsStatus
{
    /// <summary>The handshake finished, or plaintext was read.</summary>
    Done,

    /// <summary>OpenSSL needs more ciphertext than the client has sent so far.</summary>
    NeedsInput,

    /// <summary>The client closed the session or the connection, or broke the protocol: the connection ends.</summary>
    Closed,
}
