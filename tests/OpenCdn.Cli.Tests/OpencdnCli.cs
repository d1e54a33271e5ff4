using OpenCdn.Testing;
using Xunit.Abstractions;

namespace OpenCdn.Cli.Tests;

/// <summary>The built <c>opencdn</c>, run as a child process with its own config folder (<c>OPENCDN_CONFIG</c>); each run's output goes to the test log.</summary>
public sealed class OpencdnCli(string configFolder, ITestOutputHelper log)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public string ConfigFolder { get; } = configFolder;

    /// <summary>Starts a run; stdin gets <paramref name="input"/> and is closed, as when piping into the command.</summary>
    public async Task<ChildProcess> StartAsync(string[] args, string input = "")
    {
        var process = ChildProcess.Start("dotnet", [RepoPaths.BuiltAssembly("control-plane/OpenCdn.Cli", "opencdn"), .. args],
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
}
