using System.Diagnostics;
using OpenCdn.Testing;

namespace OpenCdn.Infra.Tests.Systemd;

/// <summary>
/// <c>infra/systemd/install.sh</c> into a temp root with <c>--no-systemd</c>: the layout, both hardened units (checked
/// by <c>systemd-analyze verify</c>), the installed control plane answering and the installed worker taking jobs with
/// the configuration the installer wrote, a second run changing nothing, and the uninstall.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // systemd and file modes are a Linux matter
public sealed class ServiceInstallTests
{
    private static readonly string[] Hardening =
    [
        "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
        "CapabilityBoundingSet=", "RestrictSUIDSGID=yes", "User=opencdn",
    ];

    [Fact]
    public async Task Install_IntoTempRoot_ProducesRunningServices_Idempotently_AndUninstalls()
    {
        using var root = new TempFolder();
        await RunScriptAsync(["--root", root.Path, "--no-systemd"]);

        var data = root.Combine("var", "lib", "opencdn");
        var environmentFile = root.Combine("etc", "opencdn", "opencdn.env");
        var controlPlane = root.Combine("opt", "opencdn-control-plane", "OpenCdn.ControlPlane");
        var worker = root.Combine("opt", "opencdn-ingest", "OpenCdn.Ingest");
        Assert.True(File.Exists(controlPlane) && File.Exists(worker), "both self-contained binaries are installed");
        Assert.True(File.Exists(root.Combine("opt", "opencdn-control-plane", "libcoreclr.so")), "the runtime is bundled");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(environmentFile));

        var units = new Dictionary<string, string>();
        foreach (var (name, binary) in new[] { ("opencdn-control-plane", controlPlane), ("opencdn-ingest", worker) })
        {
            var path = root.Combine("etc", "systemd", "system", name + ".service");
            var unit = await File.ReadAllTextAsync(path);
            foreach (var line in Hardening.Append($"ReadWritePaths={data}").Append($"ExecStart={binary}")
                .Append($"EnvironmentFile={environmentFile}"))
            {
                Assert.Contains(line + "\n", unit, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("@", unit, StringComparison.Ordinal);
            await VerifyUnitAsync(path);
            units[name] = unit;
        }

        var environment = ReadEnvironmentFile(await File.ReadAllTextAsync(environmentFile));
        Assert.Equal(data, environment["OpenCdn__DataFolder"]);
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        environment["Urls"] = url;
        await using (var running = ChildProcess.Start(controlPlane, [], Path.GetDirectoryName(controlPlane), environment))
        {
            using var http = new HttpClient();
            await running.WaitForLineAsync(line => line.Contains("Now listening on: " + url, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Assert.True(await HealthyAsync(http, url), "the installed control plane answers /healthz\n" + running.Output);
            await using var ingest = ChildProcess.Start(worker, [], Path.GetDirectoryName(worker), environment);
            await ingest.WaitForLineAsync(line => line.Contains("waiting for transcode jobs", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        }
        Assert.True(File.Exists(Path.Combine(data, "catalog.db")), "the services keep their state in the data folder");

        await File.AppendAllTextAsync(environmentFile, "OpenCdn__Ingest__Preset=faster\n");
        var edited = await File.ReadAllTextAsync(environmentFile);
        // Again for the worker only (a build is minutes): the same unit, and the operator's settings kept.
        await RunScriptAsync(["--root", root.Path, "--no-systemd", "--worker"]);

        Assert.Equal(edited, await File.ReadAllTextAsync(environmentFile));
        Assert.Equal(units["opencdn-ingest"], await File.ReadAllTextAsync(root.Combine("etc", "systemd", "system", "opencdn-ingest.service")));
        Assert.True(File.Exists(controlPlane), "installing one service leaves the other alone");

        await RunScriptAsync(["--uninstall", "--root", root.Path, "--no-systemd"]);

        Assert.False(Directory.Exists(root.Combine("opt", "opencdn-control-plane")));
        Assert.False(Directory.Exists(root.Combine("opt", "opencdn-ingest")));
        Assert.False(File.Exists(root.Combine("etc", "systemd", "system", "opencdn-ingest.service")));
        Assert.True(File.Exists(Path.Combine(data, "catalog.db")), "uninstall without --purge keeps the data");
        Assert.True(File.Exists(environmentFile), "and the configuration");
    }

    private static Dictionary<string, string> ReadEnvironmentFile(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static async Task<bool> HealthyAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(url + "/healthz"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static Task<string> RunScriptAsync(IEnumerable<string> arguments) =>
        ChildProcess.RunAsync("bash", [Path.Combine(RepoPaths.Root, "infra", "systemd", "install.sh"), .. arguments], TimeSpan.FromMinutes(8));

    private static async Task VerifyUnitAsync(string unitPath)
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            Assert.Fail("systemd-analyze is missing: apt-get install systemd (test.sh installs it)");
        }
        using var verify = Process.Start(
            new ProcessStartInfo("systemd-analyze", ["verify", unitPath]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = await verify.StandardError.ReadToEndAsync();
        await verify.WaitForExitAsync();
        Assert.True(verify.ExitCode == 0 && errors.Length == 0, $"systemd-analyze verify {unitPath}: exit {verify.ExitCode}\n{errors}");
    }
}
