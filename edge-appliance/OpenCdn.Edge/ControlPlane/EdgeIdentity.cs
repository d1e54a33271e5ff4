namespace OpenCdn.Edge.ControlPlane;

/// <summary>What registration gave this appliance, kept in <c>identity.json</c>: its id and the credential for every later call.</summary>
internal sealed record EdgeIdentity(string EdgeId, string Credential);
