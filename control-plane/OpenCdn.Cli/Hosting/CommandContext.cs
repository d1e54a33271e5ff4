using System.CommandLine;
using System.Net;
using OpenCdn.Cli.Config;

namespace OpenCdn.Cli.Hosting;

/// <summary>What every command gets: the terminal, the clock, the config folder; and the one place errors become exit codes.</summary>
internal sealed class CommandContext(Terminal terminal, TimeProvider time)
{
    public Terminal Terminal { get; } = terminal;

    public TimeProvider Time { get; } = time;

    public ConfigFolder Config { get; } = ConfigFolder.Resolve();

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="run"/>, turning every error into one line and an exit code.</summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> run) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await run(parse, cancellationToken);
            }
            catch (CliException e)
            {
                Terminal.Error(e.Message);
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Terminal.Error("Stopped.");
                return ExitCodes.Cancelled;
            }
            catch (HttpRequestException e)
            {
                Terminal.Error(Unreachable(e));
                return ExitCodes.Unavailable;
            }
            catch (TaskCanceledException)
            {
                Terminal.Error("The server did not answer in time.");
                return ExitCodes.Unavailable;
            }
            catch (Exception e)
            {
                // Anything else (a disk error, a damaged file): still one line, never a stack trace.
                Terminal.Error(e.Message);
                return ExitCodes.Failed;
            }
        });

    /// <summary>A network failure in words: the innermost cause (connection refused, name not known) says the most.</summary>
    public static string Unreachable(HttpRequestException e)
    {
        if (e.StatusCode is { } status)
        {
            return $"The server answered {(int)status} {status}.";
        }
        var cause = e.GetBaseException().Message;
        return e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            ? $"Cannot reach the server: {cause}"
            : $"The connection to the server failed: {cause}";
    }
}
