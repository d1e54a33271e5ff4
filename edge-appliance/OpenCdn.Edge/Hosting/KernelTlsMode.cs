namespace OpenCdn.Edge.Hosting;

/// <summary>When the direct TLS path lets the kernel encrypt (<see cref="EdgeOptions.KernelTls"/>).</summary>
internal enum KernelTlsMode
{
    /// <summary>When the start-up probe finds the kernel's <c>tls</c> module.</summary>
    Auto,

    /// <summary>Never: OpenSSL encrypts every record in user space.</summary>
    Off,

    /// <summary>Asked for on every connection whatever the probe found; a connection the kernel refuses stays in user space.</summary>
    Always,
}
