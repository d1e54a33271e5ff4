using System.CommandLine;
using OpenCdn.Cli.Api;
using OpenCdn.Cli.Config;
using OpenCdn.Cli.Hosting;
using Spectre.Console;

namespace OpenCdn.Cli.Uploads;

/// <summary>
/// <c>opencdn upload FILE --name NAME</c>: creates a title and sends its master with tus, showing progress. Run again
/// after an interruption, it continues from the byte the server holds. The title id is the one line on stdout.
/// </summary>
internal static class UploadCommand
{
    private const long DefaultChunkSize = 8L << 20;

    public static Command Create(CommandContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "The master (a video file)" };
        var name = new Option<string?>("--name") { Description = "The title's name (default: the file name without its extension)" };
        var chunkSize = new Option<long>("--chunk-size")
        {
            Description = "Bytes per PATCH request (K, M, G suffixes)",
            DefaultValueFactory = _ => DefaultChunkSize,
            CustomParser = ByteSize.Parse,
            Hidden = true,
        };
        var limitRate = new Option<long?>("--limit-rate")
        {
            Description = "Send at most this many bytes per second on average, e.g. 10M",
            CustomParser = result => ByteSize.Parse(result),
        };
        var command = new Command("upload", "Upload a master as a new title; run it again after an interruption to resume.")
        {
            file, name, chunkSize, limitRate,
        };
        context.SetAction(command, (parse, cancellationToken) =>
        {
            var master = parse.GetRequiredValue(file);
            var titleName = parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(master.Name);
            return RunAsync(context, master, titleName, new SendSettings(parse.GetValue(chunkSize), parse.GetValue(limitRate)), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        CommandContext context, FileInfo file, string name, SendSettings settings, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new CliException($"There is no file {file.FullName}.", ExitCodes.Usage);
        }
        var credentials = await new CredentialStore(context.Config, context.Time).LoadAsync(cancellationToken);
        using var api = ApiClient.For(credentials);
        var tus = new TusClient(api.Http);
        var resumes = new ResumeStore(context.Config);
        var session = new UploadSession(api, tus, resumes);
        var sender = new ChunkSender(tus, context.Time, settings);
        var terminal = context.Terminal;

        string? titleId = null;
        try
        {
            var target = await session.OpenAsync(file, name, terminal.Info, cancellationToken);
            titleId = target.TitleId;
            titleId = await SendWithProgressAsync(terminal, file, name, session, sender, target, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            terminal.Error(
                $"Upload of {file.Name} stopped; run the same command again to resume it{(titleId is null ? "" : $" (title {titleId})")}.");
            return ExitCodes.Cancelled;
        }
        resumes.Forget(api.Server, file);
        terminal.Info($"Uploaded {file.Name} ({ByteSize.Format(file.Length)}) as title {titleId}; it is queued for transcoding. "
            + $"Follow it with 'opencdn watch {titleId}'.");
        terminal.Out.WriteLine(titleId);
        return ExitCodes.Success;
    }

    /// <summary>Sends the file under a live progress bar; returns the title id (the same, unless its title was deleted meanwhile).</summary>
    private static Task<string> SendWithProgressAsync(
        Terminal terminal, FileInfo file, string name, UploadSession session, ChunkSender sender, UploadTarget target,
        CancellationToken cancellationToken) =>
        terminal.Ui.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var description = Markup.Escape(file.Name);
                var bar = new UploadProgressBar(progress.AddTask(description, maxValue: Math.Max(1, file.Length)), description,
                    terminal.IsInteractive ? null : terminal.Info);
                while (!await sender.SendAsync(file, target.Upload, target.Offset, bar, cancellationToken))
                {
                    // The upload vanished mid-run (it expired during a long outage): open it again, as a new run would.
                    target = await session.OpenAsync(file, name, bar.Note, cancellationToken);
                }
                bar.Sent(Math.Max(1, file.Length));
                return target.TitleId;
            });
}
