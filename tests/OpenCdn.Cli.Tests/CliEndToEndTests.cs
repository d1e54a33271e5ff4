using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCdn.Testing;
using Xunit.Abstractions;

namespace OpenCdn.Cli.Tests;

/// <summary>The <c>opencdn</c> command against the real control plane and ingest worker, each run a real process.</summary>
public sealed partial class CliEndToEndTests(PlatformProcesses platform, ITestOutputHelper log) : IClassFixture<PlatformProcesses>, IDisposable
{
    private static readonly TimeSpan Transcode = TimeSpan.FromMinutes(2);
    private readonly TempFolder _folder = new();
    private readonly OpencdnCli _cli = new(Path.Combine(Path.GetTempPath(), "opencdn-cli-" + Guid.NewGuid().ToString("N")), log);

    [Fact]
    public async Task Login_RightPassword_KeepsTheTokenInAFileOnlyTheOwnerCanRead()
    {
        var result = await _cli.LoginAsync(platform.BaseUrl, "admin", PlatformProcesses.AdminPassword);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Logged in", result.Output, StringComparison.Ordinal);
        var file = Path.Combine(_cli.ConfigFolder, "credentials.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        var saved = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
        Assert.Equal(platform.BaseUrl, new Uri(saved.GetProperty("server").GetString()!));
        Assert.False(string.IsNullOrEmpty(saved.GetProperty("accessToken").GetString()));
    }

    [Fact]
    public async Task Login_WrongPassword_ExitsNonZeroWithTheServersReasonAndNoStackTrace()
    {
        var result = await _cli.LoginAsync(platform.BaseUrl, "admin", "not-the-password");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("Login failed: Unknown user or wrong password.", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cli.ConfigFolder, "credentials.json")));
    }

    [Fact]
    public async Task Titles_WithoutLogin_ExitsNonZeroAndSaysToLogIn()
    {
        var result = await _cli.RunAsync(["titles"]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("opencdn login", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ThenWatch_ExitsZeroWhenTheTitleIsReady()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_folder.Combine("short.mp4"), 320, 240, "25", 2, audioChannels: 2);
        await LoginAsAdminAsync();

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
        await LoginAsAdminAsync();
        using var admin = await platform.AdminAsync();

        // Slowed to ~1 MB/s in 64 KiB PATCHes, then killed (SIGKILL: no cleanup) once the server holds some of it.
        string id;
        await using (var first = await _cli.StartAsync(["upload", master, "--name", "Interrupted", "--chunk-size", "64K", "--limit-rate", "1M"]))
        {
            id = TitleId().Match(await first.WaitForLineAsync(line => line.StartsWith("Created title ", StringComparison.Ordinal), Transcode)).Groups[1].Value;
            await first.WaitForLineAsync(line => line.StartsWith("Uploading ", StringComparison.Ordinal), Transcode);
            var upload = await UploadUrlFromResumeRecordAsync();
            await WaitUntilAsync(async () => await admin.OffsetAsync(upload) >= 256 * 1024);
            await first.KillAsync();
            log.WriteLine($"first run, killed:\n{first.Output}");
        }
        var second = await _cli.RunAsync(["upload", master, "--name", "Interrupted"]);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(id, second.LastLine);
        var resumed = ResumedAt().Match(second.Output);
        Assert.True(resumed.Success, second.Output);
        Assert.Equal(id, resumed.Groups["id"].Value);
        Assert.InRange(long.Parse(resumed.Groups["offset"].Value, CultureInfo.InvariantCulture), 256 * 1024, size - 1);
        Assert.Equal(size.ToString(CultureInfo.InvariantCulture), resumed.Groups["size"].Value);
        Assert.DoesNotContain("Created title", second.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_cli.ConfigFolder, "uploads")));
        var watch = await _cli.RunAsync(["watch", id, "--interval", "0.2"]);
        Assert.True(watch.ExitCode == 0, watch.Output);
        var titles = await admin.GetFromJsonAsync<JsonElement>("/api/v1/titles");
        Assert.Single(titles.EnumerateArray(), t => t.GetProperty("name").GetString() == "Interrupted");
    }

    [Fact]
    public async Task Upload_ConnectionDropsAndServerUnreachableForAWhile_RetriesWithinTheRunAndSendsEveryByteOnce()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_folder.Combine("dropped.mp4"), 640, 360, "25", 8, audioChannels: 2);
        await using var proxy = new DroppingProxy(platform.BaseUrl);
        var login = await _cli.LoginAsync(proxy.Url, "admin", PlatformProcesses.AdminPassword);
        Assert.True(login.ExitCode == 0, login.Output);
        using var admin = await platform.AdminAsync();

        await using var run = await _cli.StartAsync(["upload", master, "--chunk-size", "64K", "--limit-rate", "1M"]);
        await run.WaitForLineAsync(line => line.StartsWith("Uploading ", StringComparison.Ordinal), Transcode);
        var upload = new Uri(platform.BaseUrl, new Uri(await UploadUrlFromResumeRecordAsync()).PathAndQuery).AbsoluteUri;
        await WaitUntilAsync(async () => await admin.OffsetAsync(upload) >= 256 * 1024);
        await proxy.DropAsync(TimeSpan.FromSeconds(2));
        var exit = await run.WaitForExitAsync(Transcode);
        log.WriteLine(run.Output);

        Assert.True(exit == 0, run.Output);
        Assert.Contains("retry 1 in", run.Output, StringComparison.Ordinal);
        var id = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        var stored = platform.Data.Combine("origin", "objects", "masters", id, "dropped.mp4");
        Assert.Equal(await File.ReadAllBytesAsync(master), await File.ReadAllBytesAsync(stored));
    }

    [Fact]
    public async Task Upload_CtrlC_ExitsWith130SayingHowToResumeAndTheNextRunResumes()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_folder.Combine("stopped.mp4"), 320, 240, "25", 4, audioChannels: 2);
        await LoginAsAdminAsync();
        using var admin = await platform.AdminAsync();

        await using var first = await _cli.StartAsync(["upload", master, "--chunk-size", "16K", "--limit-rate", "100K"]);
        var id = TitleId().Match(await first.WaitForLineAsync(line => line.StartsWith("Created title ", StringComparison.Ordinal), Transcode)).Groups[1].Value;
        await first.WaitForLineAsync(line => line.StartsWith("Uploading ", StringComparison.Ordinal), Transcode);
        var upload = await UploadUrlFromResumeRecordAsync();
        await WaitUntilAsync(async () => await admin.OffsetAsync(upload) >= 32 * 1024);
        await SendSigIntAsync(first.Id);
        var exit = await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        log.WriteLine(first.Output);

        Assert.Equal(130, exit);
        Assert.Contains($"stopped; run the same command again to resume it (title {id})", first.Output, StringComparison.Ordinal);
        var second = await _cli.RunAsync(["upload", master]);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(id, second.LastLine);
        Assert.Matches(@$"Resuming title {id} at byte [1-9]\d* of", second.Output);
    }

    [Fact]
    public async Task Watch_TitleThatFails_ExitsOneWithTheReason()
    {
        var notes = _folder.Combine("notes.txt");
        await File.WriteAllTextAsync(notes, "These are not the frames you are looking for.\n");
        await LoginAsAdminAsync();

        var upload = await _cli.RunAsync(["upload", notes, "--name", "Not a video"]);
        Assert.True(upload.ExitCode == 0, upload.Output);
        var watch = await _cli.RunAsync(["watch", upload.LastLine, "--interval", "0.2"]);

        Assert.Equal(1, watch.ExitCode);
        Assert.Contains($"Title {upload.LastLine} (Not a video) failed:", watch.Output, StringComparison.Ordinal);
        var line = Assert.Single(watch.Output.Split('\n'), l => l.Contains(" failed:", StringComparison.Ordinal));
        Assert.Contains("not a media file", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Watch_UnknownTitle_ExitsTwo()
    {
        await LoginAsAdminAsync();

        var watch = await _cli.RunAsync(["watch", "0123456789abcdef"]);

        Assert.Equal(2, watch.ExitCode);
        Assert.Contains("There is no title '0123456789abcdef'.", watch.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Titles_ListsTitlesWithTheirStatus()
    {
        using var admin = await platform.AdminAsync();
        var id = await admin.CreateTitleAsync("Listed title");
        Assert.Equal(0, (await _cli.LoginAsync(platform.BaseUrl, "viewer", PlatformProcesses.ViewerPassword)).ExitCode);

        var titles = await _cli.RunAsync(["titles"]);

        Assert.True(titles.ExitCode == 0, titles.Output);
        var row = Assert.Single(titles.StandardOutput.Split('\n'), line => line.Contains(id, StringComparison.Ordinal));
        Assert.Contains("Listed title", row, StringComparison.Ordinal);
        Assert.Contains("created", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_AsViewer_ExitsNonZeroSayingTheRoleIsMissing()
    {
        var master = _folder.Combine("viewer.txt");
        await File.WriteAllTextAsync(master, "x");
        Assert.Equal(0, (await _cli.LoginAsync(platform.BaseUrl, "viewer", PlatformProcesses.ViewerPassword)).ExitCode);

        var upload = await _cli.RunAsync(["upload", master]);

        Assert.Equal(4, upload.ExitCode);
        Assert.Contains("not allowed", upload.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _folder.Dispose();
        if (Directory.Exists(_cli.ConfigFolder))
        {
            Directory.Delete(_cli.ConfigFolder, recursive: true);
        }
    }

    private async Task LoginAsAdminAsync()
    {
        var login = await _cli.LoginAsync(platform.BaseUrl, "admin", PlatformProcesses.AdminPassword);
        Assert.True(login.ExitCode == 0, login.Output);
    }

    private async Task<string> UploadUrlFromResumeRecordAsync()
    {
        var record = Assert.Single(Directory.GetFiles(Path.Combine(_cli.ConfigFolder, "uploads")));
        return JsonDocument.Parse(await File.ReadAllTextAsync(record)).RootElement.GetProperty("upload").GetString()!;
    }

    private static async Task SendSigIntAsync(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 30 s");
            await Task.Delay(20);
        }
    }

    [GeneratedRegex(@"^Created title ([0-9a-f]+) ")]
    private static partial Regex TitleId();

    [GeneratedRegex(@"Resuming title (?<id>[0-9a-f]+) at byte (?<offset>\d+) of (?<size>\d+)")]
    private static partial Regex ResumedAt();
}
