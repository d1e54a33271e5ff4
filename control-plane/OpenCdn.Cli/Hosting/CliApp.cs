using System.CommandLine;
using OpenCdn.Cli.Login;
using OpenCdn.Cli.Titles;
using OpenCdn.Cli.Uploads;

namespace OpenCdn.Cli.Hosting;

/// <summary>The <c>opencdn</c> command tree: parses the command line and runs one command.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, Terminal terminal, TimeProvider time)
    {
        var root = new RootCommand("OpenCdn from the command line: log in, upload masters (resumably), follow transcodes.");
        var context = new CommandContext(terminal, time);
        root.Subcommands.Add(LoginCommand.Create(context));
        root.Subcommands.Add(UploadCommand.Create(context));
        root.Subcommands.Add(TitlesCommand.Create(context));
        root.Subcommands.Add(WatchCommand.Create(context));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                terminal.Error(error.Message);
            }
            terminal.Info("Run 'opencdn --help' for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, CancellationToken.None);
    }
}
