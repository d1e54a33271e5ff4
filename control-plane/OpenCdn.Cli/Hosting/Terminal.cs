using Spectre.Console;

namespace OpenCdn.Cli.Hosting;

/// <summary>
/// Where output goes: <see cref="Out"/> (stdout) carries results a script may capture (a title id, the titles table);
/// <see cref="Ui"/> (stderr) carries progress bars, prompts and messages. Redirected to a file or pipe, messages are
/// written as plain lines, never wrapped, so logs and tests can read them.
/// </summary>
internal sealed class Terminal(IAnsiConsole output, IAnsiConsole ui, TextWriter? plainUi)
{
    /// <summary>The width used for tables when output goes to a file or pipe, wide enough that ids are not wrapped.</summary>
    private const int RedirectedWidth = 200;

    public IAnsiConsole Out { get; } = output;

    public IAnsiConsole Ui { get; } = ui;

    /// <summary>Whether <see cref="Ui"/> is a terminal that redraws live displays (not a log file or pipe).</summary>
    public bool IsInteractive => plainUi is null;

    public static Terminal Create() => new(
        Console(System.Console.Out, System.Console.IsOutputRedirected),
        Console(System.Console.Error, System.Console.IsErrorRedirected),
        System.Console.IsErrorRedirected ? System.Console.Error : null);

    /// <summary>An error on stderr as one line (a server's multi-line reason is joined), never markup-interpreted.</summary>
    public void Error(string message) => Write($"opencdn: {OneLine(message)}", new Style(Color.Red));

    public void Info(string message) => Write(OneLine(message), Style.Plain);

    private void Write(string line, Style style)
    {
        if (plainUi is null)
        {
            Ui.Write(new Text(line + Environment.NewLine, style));
        }
        else
        {
            plainUi.WriteLine(line);
        }
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

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
