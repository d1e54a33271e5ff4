using System.CommandLine;
using OpenCdn.Cli.Api;
using OpenCdn.Cli.Config;
using OpenCdn.Cli.Hosting;
using Spectre.Console;
using OpenCdn.Contracts.Api;

namespace OpenCdn.Cli.Titles;

/// <summary><c>opencdn watch ID</c>: a progress bar until the title is ready (exit 0) or failed (exit 1, with the reason).</summary>
internal static class WatchCommand
{
    private static readonly TimeSpan RetryBudget = TimeSpan.FromMinutes(2);

    public static Command Create(CommandContext context)
    {
        var id = new Argument<string>("id") { Description = "The title's id (as 'opencdn upload' printed it)" };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls", DefaultValueFactory = _ => 1, Hidden = true };
        var command = new Command("watch", "Follow a title until it is ready (exit 0) or failed (exit 1).") { id, interval };
        context.SetAction(command, (parse, cancellationToken) =>
            RunAsync(context, parse.GetRequiredValue(id), TimeSpan.FromSeconds(Math.Max(0.05, parse.GetValue(interval))), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string id, TimeSpan interval, CancellationToken cancellationToken)
    {
        var credentials = await new CredentialStore(context.Config, context.Time).LoadAsync(cancellationToken);
        using var api = ApiClient.For(credentials);
        var title = await api.FindTitleAsync(id, cancellationToken) ?? throw new CliException($"There is no title '{id}'.", ExitCodes.Usage);
        if (!title.IsSettled)
        {
            title = await context.Terminal.Ui.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(
                    progress => FollowAsync(context, api, title, progress.AddTask(Describe(title), maxValue: 100), interval, cancellationToken));
        }
        if (title.Status == TitleStatus.Ready)
        {
            context.Terminal.Info($"Title {title.Id} ({title.Name}) is ready: package v{title.PackageVersion}.");
            return ExitCodes.Success;
        }
        context.Terminal.Error($"Title {title.Id} ({title.Name}) failed: {title.FailureReason ?? "no reason given"}");
        return ExitCodes.Failed;
    }

    private static async Task<TitleView> FollowAsync(
        CommandContext context, ApiClient api, TitleView title, ProgressTask bar, TimeSpan interval, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(context.Time, RetryBudget);
        while (!title.IsSettled)
        {
            bar.Description = Describe(title);
            bar.Value = title.Status == TitleStatus.Transcoding ? title.Progress : 0;
            await Task.Delay(interval, context.Time, cancellationToken);
            try
            {
                title = await api.FindTitleAsync(title.Id, cancellationToken)
                    ?? throw new CliException($"Title '{title.Id}' was deleted.", ExitCodes.Usage);
                backoff.Reset();
            }
            catch (Exception e) when (Backoff.IsTransient(e, cancellationToken))
            {
                await backoff.WaitAsync(e, note => bar.Description = Markup.Escape(note), cancellationToken);
            }
        }
        bar.Description = Describe(title);
        if (title.Status == TitleStatus.Ready)
        {
            bar.Value = 100;
        }
        bar.StopTask();
        return title;
    }

    private static string Describe(TitleView title)
    {
        var doing = title.Status switch
        {
            TitleStatus.Created or TitleStatus.Uploading => "waiting for the upload",
            TitleStatus.Queued => "queued for a transcode worker",
            _ => TitlesCommand.StatusText(title.Status),
        };
        return $"{Markup.Escape(title.Name)}: {doing}";
    }
}
