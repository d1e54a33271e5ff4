using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Serving;
using Prometheus;

namespace OpenCdn.Edge.Metrics;

/// <summary>The appliance's Prometheus series, in a registry of its own (exposed at <c>/metrics</c>).</summary>
internal sealed class EdgeMetrics
{
    private readonly Counter _requests;
    private readonly Counter _servedBytes;
    private readonly Gauge _connections;
    private readonly Counter _tokenRejects;
    private readonly Gauge _fill;
    private readonly Counter _fillBytes;
    private readonly Counter _corrupt;
    private readonly Counter _quarantined;
    private readonly Counter.Child _content200;
    private readonly Counter.Child _content206;
    private readonly Counter.Child _contentBytes;
    private readonly Counter _direct;
    private readonly Counter _directTls;
    private readonly Gauge _tlsPath;
    private readonly Gauge _kernelTls;
    private readonly Counter.Child _sessionsOpenSsl;
    private readonly Counter.Child _sessionsKernel;
    private readonly Counter _kernelTlsRefused;
    private readonly Counter.Child[] _cutShort;
    private long _activeConnections;
    private long _egressBytes;

    public EdgeMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars(); // no tracing here: without this, every Inc looks for a trace context
        _requests = factory.CreateCounter("opencdn_edge_requests_total", "Content and peer requests by route and status.", "route", "status");
        _servedBytes = factory.CreateCounter("opencdn_edge_served_bytes_total", "Response body bytes served (egress), by route.", "route");
        _connections = factory.CreateGauge("opencdn_edge_active_connections", "Open client connections.");
        _tokenRejects = factory.CreateCounter("opencdn_edge_token_rejects_total", "Requests refused for their token, by reason.", "route", "reason");
        _fill = factory.CreateGauge("opencdn_edge_fill", "Fill progress of the current plan.", "measure");
        _fillBytes = factory.CreateCounter(
            "opencdn_edge_fill_downloaded_bytes_total", "Bytes downloaded by the fill agent, by source kind.", "source");
        _corrupt = factory.CreateCounter("opencdn_edge_fill_corrupt_total", "Downloads rejected by size or sha256 verification.");
        _quarantined = factory.CreateCounter("opencdn_edge_scrub_quarantined_total", "Stored files the scrubber found corrupted.");
        _content200 = _requests.WithLabels("content", "200");
        _content206 = _requests.WithLabels("content", "206");
        _contentBytes = _servedBytes.WithLabels("content");
        var cutShort = factory.CreateCounter("opencdn_edge_responses_cut_short_total",
            "Content responses that ended before their last byte, by outcome: the client went away (ClientGone) or stalled (Stalled), "
            + "or the file was closed (FileClosed), shorter than its catalog entry (FileShort) or unreadable (FileUnreadable).", "outcome");
        // One child per outcome, created now: every series is exported (at 0) from the start, and counting needs no label lookup.
        _cutShort = [.. Enum.GetValues<SendOutcome>().Where(o => o != SendOutcome.Sent).Select(o => cutShort.WithLabels(o.ToString()))];
        _direct = factory.CreateCounter(
            "opencdn_edge_direct_responses_total",
            "Content responses written below Kestrel's HTTP layer (plaintext HTTP/1.1), a part of the content requests.");
        _directTls = factory.CreateCounter(
            "opencdn_edge_direct_tls_responses_total",
            "Content responses written below Kestrel's HTTP layer over TLS (HTTP/1.1 on the direct TLS path, and the edge's own "
            + "HTTP/2), a part of the content requests.");
        _tlsPath = factory.CreateGauge("opencdn_edge_tls_path",
            "1 for the way HTTPS endpoints encrypt: openssl (the direct TLS path, records encrypted by OpenSSL in user space), "
            + "kestrel (Kestrel's SslStream), ktls (the direct TLS path with the kernel's TLS where a session can have it, "
            + "see opencdn_edge_tls_sessions_total); 0 for the others.", "path");
        _kernelTls = factory.CreateGauge(
            "opencdn_edge_kernel_tls_available", "1 when this host's kernel takes TLS connections (kTLS), found at start.");
        var sessions = factory.CreateCounter("opencdn_edge_tls_sessions_total",
            "Sessions of the direct TLS path after their handshake, by what encrypts what they send: ktls (the kernel; file "
            + "bodies go with sendfile) or openssl (OpenSSL, in user space).", "path");
        (_sessionsOpenSsl, _sessionsKernel) = (sessions.WithLabels("openssl"), sessions.WithLabels("ktls"));
        _kernelTlsRefused = factory.CreateCounter("opencdn_edge_kernel_tls_refused_total",
            "Direct TLS sessions whose sending keys OpenSSL offered the kernel (kTLS) and the kernel refused: OpenSSL served them.");
        foreach (var path in TlsPaths)
        {
            _tlsPath.WithLabels(path).Set(0);
        }
        MemoryGauges.Register(factory, Registry);
    }

    /// <summary>The values of <c>opencdn_edge_tls_path</c>'s label.</summary>
    public static readonly string[] TlsPaths = ["openssl", "kestrel", "ktls"];

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public long ActiveConnections => Interlocked.Read(ref _activeConnections);

    /// <summary>Body bytes served since start, for the heartbeat's egress rate.</summary>
    public long EgressBytes => Interlocked.Read(ref _egressBytes);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _activeConnections);
        _connections.Inc();
    }

    public void ConnectionClosed()
    {
        Interlocked.Decrement(ref _activeConnections);
        _connections.Dec();
    }

    public void Served(string route, int status, long bytes)
    {
        _requests.WithLabels(route, StatusLabel(status)).Inc();
        if (bytes > 0)
        {
            Interlocked.Add(ref _egressBytes, bytes);
            _servedBytes.WithLabels(route).Inc(bytes);
        }
    }

    /// <summary><see cref="Served"/> for the content fast path (200 or 206), without a label lookup per request.</summary>
    public void ContentServed(bool partial, long bytes)
    {
        (partial ? _content206 : _content200).Inc();
        if (bytes > 0)
        {
            Interlocked.Add(ref _egressBytes, bytes);
            _contentBytes.Inc(bytes);
        }
    }

    /// <summary>Counts a response of the direct path; <see cref="ContentServed"/> counts it as a content response too.</summary>
    public void DirectServed() => _direct.Inc();

    /// <summary>Counts a response of the direct TLS path; <see cref="ContentServed"/> counts it as a content response too.</summary>
    public void DirectTlsServed() => _directTls.Inc();

    /// <summary>Marks how an HTTPS endpoint encrypts (one of <see cref="TlsPaths"/>).</summary>
    public void TlsPath(string path) => _tlsPath.WithLabels(path).Set(1);

    /// <summary>Counts a direct TLS session after its handshake: by the kernel's TLS or OpenSSL's, and a refusal of the kernel's.</summary>
    public void TlsSession(bool kernelSends, bool kernelRefused)
    {
        (kernelSends ? _sessionsKernel : _sessionsOpenSsl).Inc();
        if (kernelRefused)
        {
            _kernelTlsRefused.Inc();
        }
    }

    public void KernelTlsAvailable(bool available) => _kernelTls.Set(available ? 1 : 0);

    /// <summary>Counts a content response that did not go out whole (any outcome but <see cref="SendOutcome.Sent"/>).</summary>
    public void CutShort(SendOutcome outcome) => _cutShort[(int)outcome - 1].Inc();

    public void TokenRejected(string route, TokenCheck reason) => _tokenRejects.WithLabels(route, reason.ToString()).Inc();

    public void FillProgress(FillProgress progress)
    {
        _fill.WithLabels("plan_version").Set(progress.PlanVersion);
        _fill.WithLabels("in_window").Set(progress.InWindow ? 1 : 0);
        _fill.WithLabels("files_done").Set(progress.FilesDone);
        _fill.WithLabels("files_total").Set(progress.FilesTotal);
        _fill.WithLabels("bytes_done").Set(progress.BytesDone);
        _fill.WithLabels("bytes_total").Set(progress.BytesTotal);
    }

    public void FillDownloaded(FillSourceKind source, long bytes) =>
        _fillBytes.WithLabels(source == FillSourceKind.Peer ? "peer" : "origin").Inc(bytes);

    public void FillCorrupt() => _corrupt.Inc();

    public void Quarantined() => _quarantined.Inc();

    private static string StatusLabel(int status) => status switch
    {
        200 => "200",
        206 => "206",
        304 => "304",
        400 => "400",
        403 => "403",
        404 => "404",
        412 => "412",
        416 => "416",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
