using System.Diagnostics;
using System.Globalization;

namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// Runs ffmpeg with an argument list (never a shell string), reports <c>-progress</c> as time encoded, keeps the tail
/// of stderr for the failure reason, and kills the process tree when cancelled.
/// </summary>
internal static class FfmpegProcess
{
    private const int StderrLinesKept = 20;

    public static Task RunAsync(
        string executable, IReadOnlyList<string> arguments, Action<TimeSpan>? progress, CancellationToken cancellationToken) =>
        RunAsync(executable, arguments, progress, null, cancellationToken);

    /// <summary>As above, and every stderr line to <paramref name="stderrLine"/> (for filters that report there: idet, cropdetect).</summary>
    public static async Task RunAsync(
        string executable, IReadOnlyList<string> arguments, Action<TimeSpan>? progress, Action<string>? stderrLine,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = info };
        var stderr = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            stderrLine?.Invoke(e.Data);
            lock (stderr)
            {
                stderr.Enqueue(e.Data);
                if (stderr.Count > StderrLinesKept)
                {
                    stderr.Dequeue();
                }
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (progress is not null && e.Data is { } line && line.StartsWith("out_time_us=", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan("out_time_us=".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros)
                && micros >= 0)
            {
                progress(TimeSpan.FromMicroseconds(micros));
            }
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"ffmpeg could not be started ('{executable}'): install FFmpeg or set OpenCdn:Ingest:FfmpegFolder.", e);
        }
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        if (process.ExitCode != 0)
        {
            string tail;
            lock (stderr)
            {
                tail = string.Join(" | ", stderr);
            }
            throw new FfmpegFailedException(process.ExitCode, tail);
        }
    }
}
