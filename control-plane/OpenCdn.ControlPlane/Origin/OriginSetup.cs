namespace OpenCdn.ControlPlane.Origin;

internal static class OriginSetup
{
    /// <summary>Origin's two doors: signed object URLs (fill, embedded mode) and the playback server of last resort.</summary>
    public static IEndpointRouteBuilder MapOriginEndpoint(this IEndpointRouteBuilder app)
    {
        OriginEndpoint.Map(app);
        OriginPlayback.MapOriginPlayback(app);
        return app;
    }
}
