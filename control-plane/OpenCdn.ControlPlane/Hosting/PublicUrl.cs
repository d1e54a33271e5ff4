using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace OpenCdn.ControlPlane.Hosting;

/// <summary>
/// Where every absolute URL the control plane writes starts (session, steering and origin URLs, the MPD's BaseURLs):
/// <see cref="PublicUrlOptions.PublicUrl"/>, or else the server's first listening address. The request's <c>Host</c>
/// header never decides one, so nobody can make the control plane hand out links to another site.
/// </summary>
public sealed class PublicUrl(IOptions<PublicUrlOptions> options, IServer server)
{
    private string? _base;

    /// <summary><paramref name="path"/> (starting with '/') under the public URL.</summary>
    public string Resolve(string path) => (_base ??= Base()) + path;

    private string Base()
    {
        if (options.Value.PublicUrl is { } configured)
        {
            return configured.AbsoluteUri.TrimEnd('/');
        }
        // Read once the server listens (the first request), so a port chosen by the system (:0) is known.
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        var uri = new UriBuilder(
            listening.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }
        return uri.Uri.AbsoluteUri.TrimEnd('/');
    }
}
