using System.CommandLine;
using System.Globalization;
using OpenCdn.Cli.Api;
using OpenCdn.Cli.Config;
using OpenCdn.Cli.Hosting;
using Spectre.Console;

namespace OpenCdn.Cli.Titles;

/// <summary><c>opencdn titles</c>: the catalog as a table on stdout.</summary>
internal static class TitlesCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("titles", "List the titles with their status and transcode progress.");
        context.SetAction(command, (_, cancellationToken) => RunAsync(context, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var credentials = await new CredentialStore(context.Config, context.Time).LoadAsync(cancellationToken);
        using var api = ApiClient.For(credentials);
        var titles = await api.ListTitlesAsync(cancellationToken);
        if (titles.Count == 0)
        {
            context.Terminal.Info("No titles yet: add one with 'opencdn upload FILE --name NAME'.");
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("id", "name", "status", "progress", "failure reason");
        foreach (var title in titles)
        {
            table.AddRow(
                new Text(title.Id),
                new Text(title.Name),
                new Text(title.Status, StatusStyle(title.Status)),
                new Text(Progress(title)),
                new Text(title.FailureReason ?? ""));
        }
        context.Terminal.Out.Write(table);
        return ExitCodes.Success;
    }

    public static Style StatusStyle(string status) => status switch
    {
        TitleResource.Ready => new Style(Color.Green),
        TitleResource.Failed => new Style(Color.Red),
        TitleResource.Transcoding or TitleResource.Queued => new Style(Color.Yellow),
        _ => Style.Plain,
    };

    private static string Progress(TitleResource title) => title.Status switch
    {
        TitleResource.Ready => "100 %",
        TitleResource.Transcoding => title.Progress.ToString(CultureInfo.InvariantCulture) + " %",
        _ => "",
    };
}
