using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.ControlPlane.Auth;

namespace OpenCdn.Testing;

/// <summary>
/// The real control plane and a real ingest worker as child processes on embedded defaults (one data folder, SQLite
/// catalog, local queue, files for origin), on a free port of 127.0.0.1, with an admin and a viewer.
/// </summary>
public sealed class PlatformProcesses : IAsyncLifetime
{
    public const string AdminPassword = "admin-secret-1";
    public const string ViewerPassword = "viewer-secret-1";
    private readonly IReadOnlyDictionary<string, string> _settings;
    private ChildProcess? _controlPlane;

    /// <summary>Embedded defaults: files, SQLite, the local queue.</summary>
    public PlatformProcesses()
        : this(new Dictionary<string, string>())
    {
    }

    private PlatformProcesses(IReadOnlyDictionary<string, string> settings)
    {
        _settings = settings;
        BaseUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}"); // known before start: edges and balancers may name it first
    }

    /// <summary>
    /// With configuration on top of the defaults (keys with ':' as in appsettings). A factory, not a constructor: xunit
    /// fixtures have one.
    /// </summary>
    public static PlatformProcesses With(IReadOnlyDictionary<string, string> settings) => new(settings);

    public TempFolder Data { get; } = new();

    public ChildProcess? Worker { get; private set; }

    public ChildProcess ControlPlane => _controlPlane ?? throw new InvalidOperationException("The platform is not started.");

    public Uri BaseUrl { get; }

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var environment = SharedEnvironment();
        environment["OpenCdn__Auth__Users__0__Name"] = "admin";
        environment["OpenCdn__Auth__Users__0__PasswordHash"] = PasswordHash.Create(AdminPassword);
        environment["OpenCdn__Auth__Users__0__Roles__0"] = "admin";
        environment["OpenCdn__Auth__Users__1__Name"] = "viewer";
        environment["OpenCdn__Auth__Users__1__PasswordHash"] = PasswordHash.Create(ViewerPassword);
        environment["OpenCdn__Auth__Users__1__Roles__0"] = "viewer";
        environment["OpenCdn__Upload__MaxSizeBytes"] = (200L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["OpenCdn__Upload__ExpiresAfter"] = "00:00:08";
        environment["OpenCdn__Upload__SweepInterval"] = "00:00:01";
        environment.TryAdd("OpenCdn__PublicUrl", BaseUrl.AbsoluteUri); // every URL the control plane writes names this server
        environment.TryAdd("OpenCdn__Storage__OriginUrl", new Uri(BaseUrl, "/origin").AbsoluteUri); // signed origin URLs too
        _controlPlane = ChildProcess.Start("dotnet",
            [RepoPaths.BuiltAssembly("control-plane/OpenCdn.ControlPlane", "OpenCdn.ControlPlane"), "--contentRoot",
            Path.Combine(RepoPaths.Root, "control-plane", "OpenCdn.ControlPlane"),
                "--urls", BaseUrl.AbsoluteUri],
            environment: environment);
        await _controlPlane.WaitForLineAsync(line => line.Contains("Now listening", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
        await StartWorkerAsync();
    }

    /// <summary>Starts a worker (again, after one was killed), with <paramref name="settings"/> on top of the platform's.</summary>
    public async Task StartWorkerAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = SharedEnvironment();
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        Worker = ChildProcess.Start("dotnet", [RepoPaths.BuiltAssembly("ingest/OpenCdn.Ingest", "OpenCdn.Ingest")], environment: environment);
        await Worker.WaitForLineAsync(line => line.Contains("waiting for transcode jobs", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
    }

    public async Task<string> TokenAsync(string user, string password)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/auth/token", new { username = user, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public async Task<HttpClient> AdminAsync() => Authorized(await TokenAsync("admin", AdminPassword));

    public async Task<HttpClient> ViewerAsync() => Authorized(await TokenAsync("viewer", ViewerPassword));

    public HttpClient Authorized(string token)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }
        if (_controlPlane is not null)
        {
            await _controlPlane.DisposeAsync();
        }
        Http?.Dispose();
        Data.Dispose();
    }

    /// <summary>What both processes share: the data folder, test timings, and the settings this platform was made with.</summary>
    private Dictionary<string, string> SharedEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["OpenCdn__DataFolder"] = Data.Path,
            ["OpenCdn__Ingest__VisibilityTimeout"] = "00:00:06",
            // The platform tests pin the fixed ladder's rungs and bitrates, and the analysis would add to every title's
            // encode; the per-title ladder has tests of its own (OpenCdn.Ingest.Tests/PerTitle). A test can turn it on.
            ["OpenCdn__Ingest__PerTitle__Enabled"] = "false",
        };
        foreach (var (key, value) in _settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        return environment;
    }
}
