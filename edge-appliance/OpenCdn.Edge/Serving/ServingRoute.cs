namespace OpenCdn.Edge.Serving;

/// <summary>Endpoint metadata naming a serving route (<c>content</c>, <c>peer</c>) for the metrics.</summary>
internal sealed record ServingRoute(string Name);
