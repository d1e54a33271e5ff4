using System.CommandLine;
using System.Globalization;
using OpenCdn.Cli.Api;
using OpenCdn.Cli.Config;
using OpenCdn.Cli.Hosting;
using Spectre.Console;
using OpenCdn.Contracts.Api;

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
                new Text(StatusText(title.Status), StatusStyle(title.Status)),
                new Text(Progress(title)),
                new Text(title.FailureReason ?? ""));
        }
        context.Terminal.Out.Write(table);
        return ExitCodes.Success;
    }

    /// <summary>A status as the API spells it (<c>ready</c>, <c>transcoding</c>, …).</summary>
    public static string StatusText(TitleStatus status) => status.ToString().ToLowerInvariant();

    public static Style StatusStyle(TitleStatus status) => status switch
    {
        TitleStatus.Ready => new Style(Color.Green),
        TitleStatus.Failed => new Style(Color.Red),
        TitleStatus.Transcoding or TitleStatus.Queued => new Style(Color.Yellow),
        _ => Style.Plain,
    };

    private static string Progress(TitleView title) => title.Status switch
    {
        TitleStatus.Ready => "100 %",
        TitleStatus.Transcoding => title.Progress.ToString(CultureInfo.InvariantCulture) + " %",
        _ => "",
    };
}
