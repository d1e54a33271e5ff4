using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// OpenCdn:Ingest:Av1 is checked when the worker starts: a bad value stops it with the key and the rule, and so does an
/// FFmpeg without SVT-AV1.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // a fake ffmpeg is a shell script
public sealed class Av1StartupTests
{
    [Theory]
    [InlineData("Preset", "20", "The field Preset must be between 0 and 13.")]
    [InlineData("BitrateShare", "1.5", "The field BitrateShare must be between 0.1 and 1.")]
    public async Task Worker_WithAnAv1SettingOutOfRange_StopsAtStartSayingWhich(string key, string value, string reason)
    {
        using var data = new TempFolder();
        await using var worker = StartWorker(data, new() { [$"OpenCdn__Ingest__Av1__{key}"] = value });

        Assert.NotEqual(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Av1Options", worker.Output, StringComparison.Ordinal);
        Assert.Contains(reason, worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("waiting for transcode jobs", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_WithAv1On_AndAnFfmpegWithoutSvtAv1_StopsAtStartSayingSo()
    {
        using var data = new TempFolder();
        var ffmpeg = data.Combine("ffmpeg");
        await File.WriteAllTextAsync(ffmpeg, "#!/bin/sh\necho 'Encoders:'\necho ' V..... libx264              libx264 H.264'\n");
        File.SetUnixFileMode(ffmpeg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var worker = StartWorker(data, new() { ["OpenCdn__Ingest__FfmpegFolder"] = data.Path });

        Assert.NotEqual(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("has no libsvtav1 encoder", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("waiting for transcode jobs", worker.Output, StringComparison.Ordinal);
    }

    private static ChildProcess StartWorker(TempFolder data, Dictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["OpenCdn__DataFolder"] = data.Path,
            ["OpenCdn__Ingest__Av1__Enabled"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
        return ChildProcess.Start("dotnet", [RepoPaths.BuiltAssembly("ingest/OpenCdn.Ingest", "OpenCdn.Ingest")], environment: environment);
    }
}
