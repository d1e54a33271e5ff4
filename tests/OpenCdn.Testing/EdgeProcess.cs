using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace OpenCdn.Testing;

/// <summary>
/// A real edge appliance (the built <c>OpenCdn.Edge</c>) as a child process on a free port of 127.0.0.1: it enrolls
/// with a bootstrap token, heartbeats every second, has its fill window open all day, serves the clients of
/// 127.0.0.0/8 as an embedded edge, and lets pages of <paramref name="corsOrigin"/> fetch content. With
/// <paramref name="https"/> it serves over HTTPS only (a self-signed certificate, the <c>Kestrel:Endpoints</c> configuration
/// an operator writes), as edges do in production.
/// </summary>
public sealed class EdgeProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string[] _arguments;
    private readonly byte[]? _certificate;
    private ChildProcess? _process;

    private EdgeProcess(string name, Uri controlPlane, string bootstrapToken, Uri corsOrigin, bool https)
    {
        Name = name;
        var port = FreePort.Next();
        BaseUrl = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var edge = RepoPaths.BuiltAssembly("edge-appliance/OpenCdn.Edge", "OpenCdn.Edge");
        _arguments = https ? [edge] : [edge, "--urls", BaseUrl.AbsoluteUri.TrimEnd('/')];
        _environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["OpenCdn__Edge__DataFolder"] = Data.Path,
            ["OpenCdn__Edge__ControlPlaneUrl"] = controlPlane.AbsoluteUri,
            ["OpenCdn__Edge__BootstrapToken"] = bootstrapToken,
            ["OpenCdn__Edge__PublicUrl"] = BaseUrl.AbsoluteUri,
            ["OpenCdn__Edge__Name"] = name,
            ["OpenCdn__Edge__SiteKind"] = "Embedded",
            ["OpenCdn__Edge__ClientPrefixes__0"] = "127.0.0.0/8",
            ["OpenCdn__Edge__FillWindowStart"] = "00:00",
            ["OpenCdn__Edge__FillWindowEnd"] = "00:00",
            ["OpenCdn__Edge__FillPollInterval"] = "00:00:01",
            ["OpenCdn__Edge__HeartbeatInterval"] = "00:00:01",
            ["OpenCdn__Edge__ScrubBytesPerSecond"] = "0",
            ["OpenCdn__Edge__CorsOrigins__0"] = corsOrigin.GetLeftPart(UriPartial.Authority),
        };
        if (https)
        {
            _certificate = TestCertificate.Pfx();
            File.WriteAllBytes(Certificate.Combine("edge.pfx"), _certificate);
            _environment["Kestrel__Endpoints__Https__Url"] = BaseUrl.AbsoluteUri.TrimEnd('/');
            _environment["Kestrel__Endpoints__Https__Certificate__Path"] = Certificate.Combine("edge.pfx");
            _environment["Kestrel__Endpoints__Https__Certificate__Password"] = TestCertificate.Password;
        }
    }

    public string Name { get; }

    public Uri BaseUrl { get; }

    public TempFolder Data { get; } = new();

    private TempFolder Certificate { get; } = new();

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<EdgeProcess> StartAsync(string name, Uri controlPlane, string bootstrapToken, Uri corsOrigin, bool https = false)
    {
        var edge = new EdgeProcess(name, controlPlane, bootstrapToken, corsOrigin, https);
        await edge.StartAsync();
        return edge;
    }

    /// <summary>Starts the appliance (again, after a kill: it keeps its identity and content in its data folder).</summary>
    public async Task StartAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _process = ChildProcess.Start("dotnet", _arguments, environment: _environment);
        await _process.WaitForLineAsync(line => line.Contains("Now listening", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
    }

    /// <summary>A client of the edge's own address; over HTTPS it trusts the edge's certificate and no other.</summary>
    public HttpClient Client()
    {
        var handler = new HttpClientHandler();
        if (_certificate is { } pfx)
        {
            using var own = X509CertificateLoader.LoadPkcs12(pfx, TestCertificate.Password);
            var thumbprint = own.Thumbprint;
            handler.ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == thumbprint;
        }
        return new HttpClient(handler) { BaseAddress = BaseUrl };
    }

    /// <summary>Kills the process (no graceful shutdown), as a crash or a pulled cable would.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        Data.Dispose();
        Certificate.Dispose();
    }
}
