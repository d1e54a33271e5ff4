using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Keys;
using OpenCdn.Catalog.Titles;
using OpenCdn.Platform;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Migration;

/// <summary>
/// <c>migrate --from &lt;embedded data folder&gt; [--source-key-file &lt;file&gt;]</c>: moves an embedded installation (SQLite
/// catalog, origin folder, keys under its own KEK) into the cloud installation this host's configuration names
/// (PostgreSQL, S3, the cloud KEK). Safe to run again: nothing is copied twice. Exit 0 when done, 2 when refused, 1 on failure.
/// </summary>
internal static class MigrateCommand
{
    private const string Usage = "usage: migrate --from <embedded data folder> [--source-key-file <file>] [configuration...]";

    /// <summary>Rows that make sense only on the instance that wrote them, or name files left on the old disk.</summary>
    private static readonly HashSet<string> NotCopied = [KeysCopy.Table, "leases", "uploads", "upload_multiparts", "upload_multipart_parts"];

    public static bool Matches(string[] args) => args is ["migrate", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => (e.Cancel, _) = (true, stop.CancelAsync());
        try
        {
            var (from, sourceKeyFile, rest) = Parse(args);
            await RunAsync(from, sourceKeyFile, rest, output, stop.Token);
            return 0;
        }
        catch (MigrationRefusedException e)
        {
            await errors.WriteLineAsync($"migrate: refused: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await errors.WriteLineAsync($"migrate: failed: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    private static async Task RunAsync(string from, string? sourceKeyFile, string[] rest, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(rest);
        builder.Logging.ClearProviders();
        MigrationTarget.Check(builder.Configuration, from);
        LegacyKeyFilesCheck(from);
        builder.AddOriginStorage();
        builder.AddTitleCatalog();
        builder.AddSecretStore();
        using var host = builder.Build();
        var storage = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var target = host.Services.GetRequiredService<CatalogDatabase>();
        var targetKek = host.Services.GetRequiredService<IKeyEncryptionKey>();
        await using var source = CatalogDatabase.Create($"Data Source={Path.GetFullPath(Path.Combine(from, "catalog.db"))}");
        await output.WriteLineAsync(
            $"Migrating {Path.GetFullPath(from)} into PostgreSQL (catalog) and S3 bucket '{storage.S3.Bucket}' (origin)");

        await target.MigrateAsync(cancellationToken);
        var keys = await KeysCopy.CopyAsync(from, sourceKeyFile, source, host.Services.GetRequiredService<SecretStore>(), cancellationToken);
        await output.WriteLineAsync($"keys: {keys.Copied} copied, {keys.AlreadyThere} already there (sealed under {targetKek.Description})");
        var objects = await OriginCopy.CopyAsync(
            Path.Combine(from, "origin"), host.Services.GetRequiredService<IObjectStore>(), cancellationToken);
        await output.WriteLineAsync($"origin: {objects.Copied} objects ({objects.CopiedBytes} bytes) copied, "
            + $"{objects.AlreadyThere} ({objects.AlreadyThereBytes} bytes) already there");
        foreach (var (table, count) in await CatalogRowsCopy.CopyAsync(source, target, NotCopied, cancellationToken))
        {
            await output.WriteLineAsync($"{table}: {count.Copied} rows copied, {count.AlreadyThere} already there");
        }
        await ReportLeftBehindAsync(source, output, cancellationToken);
        await output.WriteLineAsync("Migration done: start the cloud control planes with the configuration used here.");
    }

    private static async Task ReportLeftBehindAsync(CatalogDatabase source, TextWriter output, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenAsync(cancellationToken);
        var uploads = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition("SELECT COUNT(*) FROM uploads", cancellationToken: cancellationToken));
        var inFlight = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM titles WHERE status IN (@queued, @transcoding)",
            new { queued = nameof(TitleStatus.Queued), transcoding = nameof(TitleStatus.Transcoding) }, cancellationToken: cancellationToken));
        await output.WriteLineAsync("not copied: leases (each installation elects its own holders); "
            + $"{uploads.ToString(CultureInfo.InvariantCulture)} pending uploads staged on the old disk (their uploaders start over)");
        if (inFlight > 0)
        {
            await output.WriteLineAsync($"warning: {inFlight.ToString(CultureInfo.InvariantCulture)} titles were queued or transcoding; "
                + "their jobs stay in the embedded queue: upload those titles' masters again");
        }
    }

    /// <summary>Key files of versions before the key store: the embedded control plane imports them when it starts.</summary>
    private static void LegacyKeyFilesCheck(string from)
    {
        var folder = Path.Combine(from, "keys");
        if (Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.key")
                .Any(path => Path.GetFileName(path) != KeyEncryptionKeySource.GeneratedFileName))
        {
            throw new MigrationRefusedException(
                $"{Path.GetFullPath(folder)} still holds key files of an older version: start the embedded control plane once "
                + "(it imports them into its catalog), stop it, then migrate.");
        }
    }

    private static (string From, string? SourceKeyFile, string[] Configuration) Parse(string[] args)
    {
        string? from = null;
        string? sourceKeyFile = null;
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--from" when i + 1 < args.Length:
                    from = args[++i];
                    break;
                case "--source-key-file" when i + 1 < args.Length:
                    sourceKeyFile = args[++i];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }
        return string.IsNullOrWhiteSpace(from) ? throw new MigrationRefusedException(Usage) : (from, sourceKeyFile, [.. rest]);
    }
}
