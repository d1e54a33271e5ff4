namespace OpenCdn.Edge.ControlPlane;

/// <summary>The outcome of one control-plane call and, when <see cref="CallStatus.Ok"/>, its answer.</summary>
internal readonly record struct ControlPlaneCall<T>(CallStatus Status, T? Value, string? Reason = null)
    where T : class;
