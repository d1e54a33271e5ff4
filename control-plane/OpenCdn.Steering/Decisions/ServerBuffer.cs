using System.Runtime.CompilerServices;

namespace OpenCdn.Steering.Decisions;

/// <summary>Inline room for a decision's servers, so a decision is a value with no array behind it.</summary>
[InlineArray(SteeringDecision.MaxServers)]
internal struct ServerBuffer
{
    private ServerChoice _first;
}
