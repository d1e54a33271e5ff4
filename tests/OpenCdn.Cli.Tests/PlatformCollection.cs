using OpenCdn.Testing;

namespace OpenCdn.Cli.Tests;

/// <summary>One control plane and worker for every CLI test class; the classes run one after another against it.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformProcesses>
{
    public const string Name = "platform";
}
