using OpenCdn.Contracts.Edges;
using OpenCdn.Steering.Fleet;

namespace OpenCdn.FleetSim.Model;

/// <summary>One edge of the synthetic fleet: what it registers with (its descriptor) and where it sits.</summary>
internal sealed record SimEdge(int Index, EdgeDescriptor Descriptor, int Isp, int Zone)
{
    public string Id => Descriptor.Id;

    public bool Embedded => Descriptor.SiteKind == EdgeSiteKind.Embedded;

    public long DiskBytes => Descriptor.DiskCapacityBytes;
}
