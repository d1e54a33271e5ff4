using Spectre.Console;

namespace OpenCdn.Cli.Hosting;

/// <summary>
/// Where output goes: <see cref="Out"/> (stdout) carries results a script may capture (a title id, the titles table);
/// <see cref="Ui"/> (stderr) carries progress bars, prompts and messages.
/// </summary>
internal sealed class Terminal(IAnsiConsole output, IAnsiConsole ui)
{
    /// <summary>The width used when output goes to a file or pipe, wide enough that ids and reasons are not wrapped.</summary>
    private const int RedirectedWidth = 200;

    public IAnsiConsole Out { get; } = output;

    public IAnsiConsole Ui { get; } = ui;

    public static Terminal Create() => new(
        Console(System.Console.Out, System.Console.IsOutputRedirected),
        Console(System.Console.Error, System.Console.IsErrorRedirected));

    /// <summary>A one-line error on stderr, never markup-interpreted.</summary>
    public void Error(string message) => Ui.Write(new Text($"opencdn: {message}{Environment.NewLine}", new Style(Color.Red)));

    public void Info(string message) => Ui.Write(new Text(message + Environment.NewLine));

    private static IAnsiConsole Console(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }
        return console;
    }
}
