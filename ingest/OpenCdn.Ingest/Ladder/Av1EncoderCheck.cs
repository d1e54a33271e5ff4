using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpenCdn.Ingest.Jobs;

namespace OpenCdn.Ingest.Ladder;

/// <summary>
/// With the AV1 ladder on, the worker's start asks ffmpeg for its encoders and stops with a clear reason when
/// <c>libsvtav1</c> is missing, rather than failing every title's encode later.
/// </summary>
internal sealed class Av1EncoderCheck(IOptions<Av1Options> av1, WorkFolder work) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!av1.Value.Enabled)
        {
            return;
        }
        var info = new ProcessStartInfo(work.Ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-nostdin", "-encoders"])
        {
            info.ArgumentList.Add(argument);
        }
        string encoders;
        try
        {
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            encoders = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await stderr;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"ffmpeg could not be started ('{work.Ffmpeg}'): install FFmpeg or set OpenCdn:Ingest:FfmpegFolder.", e);
        }
        if (!encoders.Split('\n').Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "libsvtav1", ..]))
        {
            throw new InvalidOperationException(
                $"OpenCdn:Ingest:Av1:Enabled is true, but '{work.Ffmpeg}' has no libsvtav1 encoder: use an FFmpeg built with SVT-AV1 "
                + "(Debian's is), or turn the AV1 ladder off.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
