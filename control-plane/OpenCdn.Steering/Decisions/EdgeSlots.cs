using System.Runtime.CompilerServices;

namespace OpenCdn.Steering.Decisions;

/// <summary>Inline room for the edge indices a ranking has taken or set aside.</summary>
[InlineArray(SteeringDecision.MaxServers)]
internal struct EdgeSlots
{
    private int _first;
}
