namespace OpenCdn.Edge.Tests.Support;

/// <summary>Tests that measure time or load both cores (the rate cap, the installer's build) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
