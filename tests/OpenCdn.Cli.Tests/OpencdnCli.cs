using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCdn.Testing;
using Xunit.Abstractions;

namespace OpenCdn.Cli.Tests;

/// <summary>
/// The built <c>opencdn</c>, run as a child process with a config folder of its own (<c>OPENCDN_CONFIG</c>, removed on
/// dispose); each run's output goes to the test log.
/// </summary>
public sealed partial class OpencdnCli(ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public string ConfigFolder { get; } = Path.Combine(Path.GetTempPath(), "opencdn-cli-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Starts a run; stdin gets <paramref name="input"/> and is closed, as when piping into the command. SIGINT gets its
    /// default action back first (<c>env --default-signal</c> execs, so the process id stays the CLI's): a suite started in
    /// the background of a non-interactive shell inherits SIGINT ignored, and Ctrl-C would never reach the CLI.
    /// </summary>
    public async Task<ChildProcess> StartAsync(string[] args, string input = "")
    {
        var process = ChildProcess.Start(
            "env", ["--default-signal=INT", "dotnet", RepoPaths.BuiltAssembly("control-plane/OpenCdn.Cli", "opencdn"), .. args],
            environment: new Dictionary<string, string> { ["OPENCDN_CONFIG"] = ConfigFolder, ["NO_COLOR"] = "1" });
        await process.WriteInputAndCloseAsync(input);
        return process;
    }

    public async Task<CliResult> RunAsync(string[] args, string input = "")
    {
        await using var process = await StartAsync(args, input);
        var exit = await process.WaitForExitAsync(Patience);
        log.WriteLine($"$ opencdn {string.Join(' ', args)}  → exit {exit}\n{process.Output}");
        return new CliResult(exit, process.StandardOutput, process.Output);
    }

    public Task<CliResult> LoginAsync(Uri server, string user, string password) =>
        RunAsync(["login", "--server", server.AbsoluteUri, "--user", user, "--password-stdin"], password + "\n");

    public async Task LoginAsAdminAsync(Uri server)
    {
        var login = await LoginAsync(server, "admin", PlatformProcesses.AdminPassword);
        Assert.True(login.ExitCode == 0, login.Output);
    }

    /// <summary>
    /// Starts <c>upload</c> held to 1 MiB/s in 64 KiB PATCHes and returns once the server holds at least
    /// <paramref name="heldBytes"/> of it (asked with HEAD at <paramref name="origin"/>, the server behind any proxy).
    /// </summary>
    public async Task<SlowUpload> StartSlowUploadAsync(string master, HttpClient admin, Uri origin, long heldBytes, params string[] more)
    {
        var process = await StartAsync(["upload", master, "--chunk-size", "64K", "--limit-rate", "1M", .. more]);
        var created = await process.WaitForLineAsync(line => line.StartsWith("Created title ", StringComparison.Ordinal), Patience);
        await process.WaitForLineAsync(line => line.StartsWith("Uploading ", StringComparison.Ordinal), Patience);
        var record = Assert.Single(Directory.GetFiles(Path.Combine(ConfigFolder, "uploads")));
        var recorded = new Uri(JsonDocument.Parse(await File.ReadAllTextAsync(record)).RootElement.GetProperty("upload").GetString()!);
        var upload = new Uri(origin, recorded.PathAndQuery).AbsoluteUri;
        await Eventually.ValueAsync(() => admin.OffsetAsync(upload), held => held >= heldBytes, $"the server holds {heldBytes} bytes",
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20));
        return new SlowUpload(process, CreatedTitle().Match(created).Groups[1].Value, upload);
    }

    /// <summary>Ctrl-C: SIGINT to the process.</summary>
    public static async Task InterruptAsync(ChildProcess process)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        if (Directory.Exists(ConfigFolder))
        {
            Directory.Delete(ConfigFolder, recursive: true);
        }
    }

    [GeneratedRegex(@"^Created title ([0-9a-f]+) ")]
    private static partial Regex CreatedTitle();
}
