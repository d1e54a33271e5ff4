using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace OpenCdn.Edge.Tests.Support;

/// <summary>The base URL a started app listening on 127.0.0.1 (port 0 or chosen) was given.</summary>
public static class Loopback
{
    public static Uri BaseUrl(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
}
