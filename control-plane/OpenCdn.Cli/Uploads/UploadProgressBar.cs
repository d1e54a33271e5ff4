using Spectre.Console;

namespace OpenCdn.Cli.Uploads;

/// <summary>An upload shown as a Spectre progress task: bytes sent, and a note in the description while retrying.</summary>
internal sealed class UploadProgressBar(ProgressTask task, string description) : IUploadObserver
{
    public void Sent(long offset) => task.Value = offset;

    public void Note(string? note) =>
        task.Description = note is null ? description : $"{description} [yellow]{Markup.Escape(note)}[/]";
}
