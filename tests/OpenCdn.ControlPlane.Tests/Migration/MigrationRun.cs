using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Migration;

/// <summary>Runs <c>OpenCdn.ControlPlane migrate</c> as an operator would: a child process, configured by environment.</summary>
internal static class MigrationRun
{
    public static async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        using var defaults = new TempFolder();
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            // The host's own data folder (where its default catalog would be): never the folder being migrated.
            ["OpenCdn__DataFolder"] = defaults.Path,
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        await using var process = ChildProcess.Start("dotnet",
            [RepoPaths.BuiltAssembly("control-plane/OpenCdn.ControlPlane", "OpenCdn.ControlPlane"), "migrate", .. arguments,
                "--contentRoot", Path.Combine(RepoPaths.Root, "control-plane", "OpenCdn.ControlPlane")],
            environment: environment);
        var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return (exit, process.Output);
    }
}
