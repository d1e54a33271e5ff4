using System.Text.Json;
using OpenCdn.Testing;
using Xunit.Abstractions;

namespace OpenCdn.Cli.Tests;

/// <summary><c>opencdn login</c>, <c>titles</c> and <c>watch</c> against the real control plane and worker, each run a real process.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LoginAndCatalogTests(PlatformProcesses platform, ITestOutputHelper log) : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly OpencdnCli _cli = new(log);

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
    public async Task Titles_ListsTitlesWithTheirStatus()
    {
        using var admin = await platform.AdminAsync();
        var id = await admin.CreateTitleAsync("Listed title");
        await _cli.LoginAsAdminAsync(platform.BaseUrl); // viewers see only ready titles

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

    [Fact]
    public async Task Watch_TitleThatFails_ExitsOneWithTheReasonOnOneLine()
    {
        var notes = _folder.Combine("notes.txt");
        await File.WriteAllTextAsync(notes, "These are not the frames you are looking for.\n");
        await _cli.LoginAsAdminAsync(platform.BaseUrl);

        var upload = await _cli.RunAsync(["upload", notes, "--name", "Not a video"]);
        Assert.True(upload.ExitCode == 0, upload.Output);
        var watch = await _cli.RunAsync(["watch", upload.LastLine, "--interval", "0.2"]);

        Assert.Equal(1, watch.ExitCode);
        var line = Assert.Single(watch.Output.Split('\n'), l => l.Contains(" failed:", StringComparison.Ordinal));
        Assert.Contains($"Title {upload.LastLine} (Not a video) failed:", line, StringComparison.Ordinal);
        Assert.Contains("FFmpeg can read", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Watch_UnknownTitle_ExitsTwo()
    {
        await _cli.LoginAsAdminAsync(platform.BaseUrl);

        var watch = await _cli.RunAsync(["watch", "0123456789abcdef"]);

        Assert.Equal(2, watch.ExitCode);
        Assert.Contains("There is no title '0123456789abcdef'.", watch.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _folder.Dispose();
        _cli.Dispose();
    }
}
