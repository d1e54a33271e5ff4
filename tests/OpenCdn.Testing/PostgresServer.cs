namespace OpenCdn.Testing;

/// <summary>
/// A throwaway PostgreSQL server (Debian's, 15) in a temp folder on a free port of 127.0.0.1, trust auth, fsync off.
/// As root it runs as the <c>postgres</c> system user, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private ChildProcess? _server;

    public int Port { get; private set; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=opencdn;Database={database};Pooling=true;Timeout=15";

    /// <summary>A new, empty database on this server, for tests that must not see each other's rows; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"catalog_{Guid.NewGuid():N}";
        await using (var connection = new Npgsql.NpgsqlConnection(ConnectionString()))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        var bin = FindBinaries();
        var data = _folder.Combine("pgdata");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // The postgres user must be able to reach and own its folder.
            Directory.CreateDirectory(data);
            await ChildProcess.RunAsync("chmod", ["o+rx", _folder.Path]);
            await ChildProcess.RunAsync("chown", ["postgres:postgres", data]);
        }
        await ChildProcess.RunAsync(asRoot ? "runuser" : Path.Combine(bin, "initdb"),
            [.. asRoot ? ["-u", "postgres", "--", Path.Combine(bin, "initdb")] : Array.Empty<string>(),
            "-D", data, "-A", "trust", "-U", "opencdn", "--no-sync"]);
        Port = FreePort.Next();
        string[] server = [Path.Combine(bin, "postgres"), "-D", data, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", data, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
        _server = asRoot ? ChildProcess.Start("runuser", ["-u", "postgres", "--", .. server]) : ChildProcess.Start(server[0], server[1..]);
        await _server.WaitForLineAsync(line => line.Contains("ready to accept connections", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _folder.Dispose();
    }

    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).ToList()
            : [];
        return versions.Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "postgres")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed: run ./test.sh (it installs Debian's postgresql).");
    }
}
