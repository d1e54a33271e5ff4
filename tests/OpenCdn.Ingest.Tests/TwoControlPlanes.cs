using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using OpenCdn.ControlPlane.Auth;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// Two control-plane processes in cloud mode on one PostgreSQL and one s3rver, each with a data folder of its own (so
/// nothing on either disk is shared), as two instances behind a balancer that is not sticky. No worker: the tests here
/// end where the master lands in origin.
/// </summary>
public sealed class TwoControlPlanes : IAsyncLifetime
{
    public const string AdminPassword = "admin-secret-1";

    private readonly string _keyEncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public PostgresServer Postgres { get; } = new();

    public S3Emulator S3 { get; } = new();

    public Instance A { get; private set; } = null!;

    public Instance B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Postgres.InitializeAsync(), S3.InitializeAsync());
        A = await Instance.StartAsync(Settings());
        B = await Instance.StartAsync(Settings());
    }

    /// <summary>Starts instance B again (after a test killed it).</summary>
    public async Task RestartBAsync()
    {
        await B.DisposeAsync();
        B = await Instance.StartAsync(Settings());
    }

    /// <summary>Reads the catalog directly, as an operator would with psql.</summary>
    public async Task<T?> QueryAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString());
        return await connection.QuerySingleOrDefaultAsync<T>(sql, parameters);
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in new[] { A, B }.Where(i => i is not null))
        {
            await instance.DisposeAsync();
        }
        await Task.WhenAll(Postgres.DisposeAsync(), S3.DisposeAsync());
    }

    private Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Catalog"] = Postgres.ConnectionString(),
            ["OpenCdn__Upload__MaxSizeBytes"] = (200L << 20).ToString(CultureInfo.InvariantCulture),
            ["OpenCdn__Upload__ExpiresAfter"] = "00:00:30", // long enough for a loaded machine between two steps of a test
            ["OpenCdn__Upload__SweepInterval"] = "00:00:01",
            ["OpenCdn__Keys__EncryptionKey"] = _keyEncryptionKey, // instances sharing a catalog share its key-encryption key
        };
        foreach (var (key, value) in S3.Settings)
        {
            settings[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }
        return settings;
    }

    /// <summary>One control-plane process with its own data folder, and an admin client holding a token it issued.</summary>
    public sealed class Instance : IAsyncDisposable
    {
        private Instance(ChildProcess process, TempFolder data, Uri baseUrl)
        {
            Process = process;
            Data = data;
            BaseUrl = baseUrl;
        }

        public ChildProcess Process { get; }

        public TempFolder Data { get; }

        public Uri BaseUrl { get; }

        public HttpClient Admin { get; private set; } = null!;

        public static async Task<Instance> StartAsync(Dictionary<string, string> settings)
        {
            var data = new TempFolder();
            var baseUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var environment = new Dictionary<string, string>(settings)
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["OpenCdn__DataFolder"] = data.Path,
                ["OpenCdn__PublicUrl"] = baseUrl.AbsoluteUri,
                ["OpenCdn__Auth__Users__0__Name"] = "admin",
                ["OpenCdn__Auth__Users__0__PasswordHash"] = PasswordHash.Create(AdminPassword),
                ["OpenCdn__Auth__Users__0__Roles__0"] = "admin",
            };
            var process = ChildProcess.Start("dotnet",
                [RepoPaths.BuiltAssembly("control-plane/OpenCdn.ControlPlane", "OpenCdn.ControlPlane"), "--contentRoot",
                Path.Combine(RepoPaths.Root, "control-plane", "OpenCdn.ControlPlane"), "--urls", baseUrl.AbsoluteUri],
                environment: environment);
            var instance = new Instance(process, data, baseUrl);
            await process.WaitForLineAsync(line => line.Contains("Now listening", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            // Each instance issues its own token; uploads do not care which.
            using var anonymous = new HttpClient { BaseAddress = baseUrl };
            using var response = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = AdminPassword });
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
            instance.Admin = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };
            instance.Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return instance;
        }

        public async ValueTask DisposeAsync()
        {
            await Process.DisposeAsync();
            Admin?.Dispose();
            Data.Dispose();
        }
    }
}
