using System.Diagnostics;

namespace OpenCdn.ControlPlane.Hosting;

/// <summary>
/// The control plane's own spans (beside ASP.NET Core's request spans). Without a configured exporter nothing listens,
/// and <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null at the cost of one check.
/// </summary>
internal static class ControlPlaneActivities
{
    public static readonly ActivitySource Source = new("OpenCdn.ControlPlane");
}
