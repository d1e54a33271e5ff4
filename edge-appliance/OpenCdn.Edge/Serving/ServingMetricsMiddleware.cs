using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Serving;

/// <summary>Counts content and peer responses and the body bytes they carried, after they were written.</summary>
internal sealed class ServingMetricsMiddleware(RequestDelegate next, EdgeMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var route = context.GetEndpoint()?.Metadata.GetMetadata<ServingRoute>();
        if (route is null)
        {
            return;
        }
        var bytes = HttpMethods.IsHead(context.Request.Method) ? 0 : context.Response.ContentLength ?? 0;
        metrics.Served(route.Name, context.Response.StatusCode, bytes);
    }
}
