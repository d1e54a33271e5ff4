namespace OpenCdn.Testing;

/// <summary>Where things are in the repository, found from the test binary's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string LocalServices => Path.Combine(Root, "infra", "local");

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
