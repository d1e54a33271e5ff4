using Spectre.Console;

namespace OpenCdn.Cli.Uploads;

/// <summary>
/// An upload shown as a Spectre progress task: bytes sent, and a note in the description while retrying. Where the
/// terminal is not interactive (a CI log), notes are also written as lines, since no live bar shows them.
/// </summary>
internal sealed class UploadProgressBar(ProgressTask task, string description, Action<string>? log) : IUploadObserver
{
    public void Sent(long offset) => task.Value = offset;

    public void Note(string? note)
    {
        task.Description = note is null ? description : $"{description} [yellow]{Markup.Escape(note)}[/]";
        if (note is not null)
        {
            log?.Invoke(note);
        }
    }
}
