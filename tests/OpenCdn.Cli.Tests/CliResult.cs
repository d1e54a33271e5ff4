namespace OpenCdn.Cli.Tests;

/// <summary>How one run of <c>opencdn</c> ended: its exit code, its stdout, and everything it printed.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string Output)
{
    /// <summary>The last line on stdout (where <c>upload</c> prints the title id).</summary>
    public string LastLine =>
        StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
