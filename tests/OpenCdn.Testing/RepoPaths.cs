namespace OpenCdn.Testing;

/// <summary>Where things are in the repository, found from the test binary's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string LocalServices => Path.Combine(Root, "infra", "local");

    /// <summary>
    /// A project's built assembly, in the configuration the tests were built in (bin/{Configuration}/net10.0). Test
    /// projects reference the services they start, so a build of the tests builds them too.
    /// </summary>
    public static string BuiltAssembly(string projectFolder, string assemblyName)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(Root, projectFolder, "bin", configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assemblyName} is not built; build the solution first.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenCdn.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"OpenCdn.sln not found above {AppContext.BaseDirectory}.");
    }
}
