namespace OpenCdn.Ingest.Ladder;

/// <summary>ffmpeg exited non-zero; <see cref="Exception.Message"/> carries the end of what it printed.</summary>
internal sealed class FfmpegFailedException(int exitCode, string stderrTail)
    : Exception($"FFmpeg could not encode the master (exit code {exitCode}): {(stderrTail.Length > 0 ? stderrTail : "no error output")}")
{
    public int ExitCode { get; } = exitCode;
}
