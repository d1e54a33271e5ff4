using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCdn.Testing;
using Xunit.Abstractions;

namespace OpenCdn.Cli.Tests;

/// <summary><c>opencdn upload</c> end to end, and what happens to it when it is interrupted in each way a run can be.</summary>
[Collection(PlatformCollection.Name)]
public sealed partial class UploadTests(PlatformProcesses platform, ITestOutputHelper log) : IDisposable
{
    private const long Held = 256 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly TempFolder _folder = new();
    private readonly OpencdnCli _cli = new(log);

    [Fact]
    public async Task Upload_ThenWatch_ExitsZeroWhenTheTitleIsReady()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_folder.Combine("short.mp4"), 320, 240, "25", 2, audioChannels: 2);
        await _cli.LoginAsAdminAsync(platform.BaseUrl);

        var upload = await _cli.RunAsync(["upload", master, "--name", "Short clip"]);
        Assert.True(upload.ExitCode == 0, upload.Output);
        var id = upload.LastLine;
        var watch = await _cli.RunAsync(["watch", id, "--interval", "0.2"]);

        Assert.True(watch.ExitCode == 0, watch.Output);
        Assert.Contains($"Title {id} (Short clip) is ready", watch.Output, StringComparison.Ordinal);
        using var admin = await platform.AdminAsync();
        Assert.Equal("ready", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/titles/{id}")).Status());
    }

    [Fact]
    public async Task Upload_KilledMidway_NextRunResumesFromTheServersOffsetAndTheTitleBecomesReady()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_folder.Combine("interrupted.mp4"), 640, 360, "25", 12, audioChannels: 2);
        var size = new FileInfo(master).Length;
        Assert.True(size > 2_000_000, $"the master is only {size} bytes");
        await _cli.LoginAsAdminAsync(platform.BaseUrl);
        using var admin = await platform.AdminAsync();

        // SIGKILL: no cleanup runs, as when the machine or the terminal dies.
        var first = await _cli.StartSlowUploadAsync(master, admin, platform.BaseUrl, Held, "--name", "Interrupted");
        await first.Process.DisposeAsync();
        var second = await _cli.RunAsync(["upload", master, "--name", "Interrupted"]);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(first.TitleId, second.LastLine);
        var resumed = ResumedAt().Match(second.Output);
        Assert.True(resumed.Success, second.Output);
        Assert.Equal(first.TitleId, resumed.Groups["id"].Value);
        Assert.InRange(long.Parse(resumed.Groups["offset"].Value, CultureInfo.InvariantCulture), Held, size - 1);
        Assert.Equal(size.ToString(CultureInfo.InvariantCulture), resumed.Groups["size"].Value);
        Assert.DoesNotContain("Created title", second.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_cli.ConfigFolder, "uploads")));
        var watch = await _cli.RunAsync(["watch", first.TitleId, "--interval", "0.2"]);
        Assert.True(watch.ExitCode == 0, watch.Output);
        var titles = await admin.GetFromJsonAsync<JsonElement>("/api/v1/titles");
        Assert.Single(titles.EnumerateArray(), t => t.GetProperty("name").GetString() == "Interrupted");
    }

    [Fact]
    public async Task Upload_ConnectionDropsAndServerUnreachableForAWhile_RetriesWithinTheRunAndSendsEveryByteOnce()
    {
        var master = await RandomFileAsync("dropped.bin");
        await using var proxy = new DroppingProxy(platform.BaseUrl);
        await _cli.LoginAsAdminAsync(proxy.Url);
        using var admin = await platform.AdminAsync();

        var run = await _cli.StartSlowUploadAsync(master, admin, platform.BaseUrl, Held);
        await using var process = run.Process;
        await proxy.DropAsync(TimeSpan.FromSeconds(2));
        var exit = await process.WaitForExitAsync(Patience);
        log.WriteLine(process.Output);

        Assert.True(exit == 0, process.Output);
        Assert.Contains("retry 1 in", process.Output, StringComparison.Ordinal);
        Assert.EndsWith(run.TitleId + "\n", process.StandardOutput, StringComparison.Ordinal);
        AssertStoredMasterIs(run.TitleId, master);
    }

    [Fact]
    public async Task Upload_CtrlC_ExitsWith130SayingHowToResumeAndTheNextRunResumes()
    {
        var master = await RandomFileAsync("stopped.bin");
        await _cli.LoginAsAdminAsync(platform.BaseUrl);
        using var admin = await platform.AdminAsync();

        var first = await _cli.StartSlowUploadAsync(master, admin, platform.BaseUrl, Held);
        await using var process = first.Process;
        await OpencdnCli.InterruptAsync(process);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        log.WriteLine(process.Output);

        Assert.Equal(130, exit);
        Assert.Contains($"stopped; run the same command again to resume it (title {first.TitleId})", process.Output, StringComparison.Ordinal);
        var second = await _cli.RunAsync(["upload", master]);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(first.TitleId, second.LastLine);
        Assert.Matches(@$"Resuming title {first.TitleId} at byte [1-9]\d* of", second.Output);
        AssertStoredMasterIs(first.TitleId, master);
    }

    [Fact]
    public async Task Upload_WhoseUploadWasCancelledMeanwhile_StartsANewUploadForTheSameTitle()
    {
        var master = await RandomFileAsync("cancelled.bin");
        await _cli.LoginAsAdminAsync(platform.BaseUrl);
        using var admin = await platform.AdminAsync();
        var first = await _cli.StartSlowUploadAsync(master, admin, platform.BaseUrl, Held);
        await first.Process.DisposeAsync();
        using (var terminate = new HttpRequestMessage(HttpMethod.Delete, first.UploadUrl))
        {
            terminate.Headers.Add("Tus-Resumable", "1.0.0");
            using var terminated = await admin.SendAsync(terminate);
            Assert.Equal(HttpStatusCode.NoContent, terminated.StatusCode);
        }

        var second = await _cli.RunAsync(["upload", master]);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(first.TitleId, second.LastLine);
        Assert.Contains(
            $"The earlier upload to title {first.TitleId} expired or was cancelled; starting again from byte 0.", second.Output,
            StringComparison.Ordinal);
        AssertStoredMasterIs(first.TitleId, master);
    }

    public void Dispose()
    {
        _folder.Dispose();
        _cli.Dispose();
    }

    /// <summary>
    /// 2 MiB of random bytes: for tests of the transfer alone, what the bytes are does not matter, random bytes show any
    /// misplaced offset, and the worker refuses them at once instead of spending CPU on a transcode.
    /// </summary>
    private async Task<string> RandomFileAsync(string name)
    {
        var path = _folder.Combine(name);
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(2 << 20));
        return path;
    }

    /// <summary>The master in origin is the file, byte for byte: nothing sent twice, nothing skipped.</summary>
    private void AssertStoredMasterIs(string titleId, string master) =>
        Assert.Equal(
            File.ReadAllBytes(master), File.ReadAllBytes(platform.Data.Combine("origin", "objects", "masters", titleId, Path.GetFileName(master))));

    [GeneratedRegex(@"Resuming title (?<id>[0-9a-f]+) at byte (?<offset>\d+) of (?<size>\d+)")]
    private static partial Regex ResumedAt();
}
