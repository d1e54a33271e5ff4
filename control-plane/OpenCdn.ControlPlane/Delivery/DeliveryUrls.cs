using System.Globalization;
using OpenCdn.ControlPlane.Hosting;

namespace OpenCdn.ControlPlane.Delivery;

/// <summary>
/// The BaseURLs players are handed, ending in '/' so that relative file names resolve under them and the token stays a
/// path segment: <c>{edge}/c/{token}/{titleId}/v{version}/</c> on an edge, <c>{controlPlane}/o/{token}/{titleId}/v{version}/</c> on origin.
/// </summary>
public static class DeliveryUrls
{
    public const string OriginPrefix = "/o";

    public static string Edge(Uri edgeBaseUrl, string token, string titleId, int version)
    {
        ArgumentNullException.ThrowIfNull(edgeBaseUrl);
        return string.Create(CultureInfo.InvariantCulture, $"{edgeBaseUrl.AbsoluteUri.TrimEnd('/')}/c/{token}/{titleId}/v{version}/");
    }

    /// <summary>Origin under the control plane's public URL: absolute, as not every player resolves a path-only BaseURL.</summary>
    public static string Origin(PublicUrl publicUrl, string token, string titleId, int version)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        return publicUrl.Resolve(string.Create(CultureInfo.InvariantCulture, $"{OriginPrefix}/{token}/{titleId}/v{version}/"));
    }
}
