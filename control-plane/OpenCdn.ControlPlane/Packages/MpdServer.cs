namespace OpenCdn.ControlPlane.Packages;

/// <summary>One server in an MPD: a <c>BaseURL</c> (ending in '/') with its DVB priority and weight.</summary>
public sealed record MpdServer(string ServiceLocation, string BaseUrl, int Priority, int Weight);
