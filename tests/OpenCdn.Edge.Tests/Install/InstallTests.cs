using System.Diagnostics;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Install;

/// <summary>
/// <c>edge-appliance/install.sh</c> into a temp root with <c>--no-systemd</c>: the layout, the unit (checked by
/// <c>systemd-analyze verify</c>), the installed native executable registering with a control plane, answering with
/// ProblemDetails and metrics, in a fraction of the JIT-compiled appliance's memory, a second run changing nothing, and
/// the uninstall.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class InstallTests
{
    [Fact]
    public async Task Install_IntoTempRoot_ProducesARunningApplianceThatRegisters_Idempotently_AndUninstalls()
    {
        using var root = new TempFolder();
        await using var controlPlane = await ControlPlaneDouble.StartAsync();
        var port = FreePort.Next();
        string[] install =
        [
            "--root", root.Path, "--no-systemd", "--control-plane", controlPlane.Url.AbsoluteUri, "--bootstrap-token",
            ControlPlaneDouble.BootstrapToken,
            "--public-url", $"http://127.0.0.1:{port}/", "--listen", $"http://127.0.0.1:{port}", "--name", "isp-edge-1",
        ];

        await RunScriptAsync(install);

        var opt = root.Combine("opt", "opencdn-edge");
        var unitPath = root.Combine("etc", "systemd", "system", "opencdn-edge.service");
        var config = root.Combine("etc", "opencdn", "edge.json");
        var data = root.Combine("var", "lib", "opencdn-edge");
        Assert.True(File.Exists(Path.Combine(opt, "OpenCdn.Edge")), "the appliance is installed");
        Assert.Equal("\u007fELF"u8.ToArray(), (await File.ReadAllBytesAsync(Path.Combine(opt, "OpenCdn.Edge")))[..4]);
        Assert.False(File.Exists(Path.Combine(opt, "OpenCdn.Edge.dll")), "no IL: the appliance is compiled ahead of time");
        Assert.False(File.Exists(Path.Combine(opt, "libcoreclr.so")), "no JIT runtime: the appliance is one native executable");
        Assert.True(Directory.Exists(data));
        var unit = await File.ReadAllTextAsync(unitPath);
        foreach (var line in new[] { "Type=notify", "NoNewPrivileges=yes", "ProtectSystem=strict", $"ReadWritePaths={data}",
            $"ExecStart={opt}/OpenCdn.Edge", "User=opencdn-edge" })
        {
            Assert.Contains(line + "\n", unit, StringComparison.Ordinal);
        }
        await VerifyUnitAsync(unitPath);

        await using (var edge = ChildProcess.Start(
            Path.Combine(opt, "OpenCdn.Edge"), [], opt, new Dictionary<string, string> { ["OPENCDN_EDGE_CONFIG"] = config }))
        {
            await Eventually.TrueAsync(
                () => !controlPlane.Heartbeats.IsEmpty, "the installed appliance registered and heartbeat\n" + edge.Output, TimeSpan.FromSeconds(30));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode);
            using var forbidden = await http.GetAsync(new Uri("c/cp-1.4102444800.bad/t1/v1/video.mp4", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"status\":403", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains("opencdn_edge_", await http.GetStringAsync(new Uri("metrics", UriKind.Relative)), StringComparison.Ordinal);
            // The JIT-compiled appliance held ~85 MB here, most of it the runtime's mapped files and compiled code.
            var rss = ResidentMegabytes(edge.Id);
            Assert.True(rss < RestingRssLimitMegabytes, $"the installed appliance holds {rss} MB at rest (limit {RestingRssLimitMegabytes} MB)");
        }
        var registration = Assert.Single(controlPlane.Registrations);
        Assert.Equal("isp-edge-1", registration.Name);
        Assert.True(File.Exists(Path.Combine(data, "identity.json")), "the identity is kept in the data folder");

        var before = (Unit: unit, Config: await File.ReadAllTextAsync(config));
        await File.WriteAllTextAsync(root.Combine("etc", "opencdn", "edge.local.json"), """{ "OpenCdn": { "Edge": { "FillConcurrency": 2 } } }""");
        await RunScriptAsync(install);

        Assert.Equal(before.Unit, await File.ReadAllTextAsync(unitPath));
        Assert.Equal(before.Config, await File.ReadAllTextAsync(config));
        Assert.Contains("FillConcurrency", await File.ReadAllTextAsync(root.Combine("etc", "opencdn", "edge.local.json")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "identity.json")), "a reinstall keeps the identity");

        await RunScriptAsync(["--uninstall", "--root", root.Path, "--no-systemd"]);

        Assert.False(Directory.Exists(opt));
        Assert.False(File.Exists(unitPath));
        Assert.True(File.Exists(Path.Combine(data, "identity.json")), "uninstall without --purge keeps the data");
    }

    private const int RestingRssLimitMegabytes = 60;

    private static long ResidentMegabytes(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ',
            StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;

    // A cold native build of the appliance takes 1–3 minutes on two cores, more on a loaded machine: the limit only stops a hang.
    private static Task<string> RunScriptAsync(IEnumerable<string> arguments) =>
        ChildProcess.RunAsync("bash", [Path.Combine(RepoPaths.Root, "edge-appliance", "install.sh"), .. arguments], TimeSpan.FromMinutes(10));

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
