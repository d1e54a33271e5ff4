using System.Globalization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// Serves the request players send almost exclusively — <c>GET|HEAD /c/{token}/…</c> with a valid token for a catalogued
/// file, no precondition header, and no Range or one satisfiable <c>bytes</c> range — before routing, through the
/// catalog's shared file handle and with precomputed headers, whenever such a request reaches Kestrel's HTTP layer: over
/// HTTPS or HTTP/2, or on a plaintext connection that <see cref="Direct.DirectConnections"/> handed to Kestrel. Every
/// other request, including every error, goes on to <see cref="ContentEndpoints"/>, which implements the whole of RFC
/// 9110's preconditions and ranges.
/// </summary>
internal sealed class ContentFastPath
{
    private readonly RequestDelegate _next;
    private readonly VerifiedTokens _tokens;
    private readonly ContentCatalog _catalog;
    private readonly EdgeMetrics _metrics;
    private readonly ServingFaults _faults;
    private readonly ICorsService _cors;
    private readonly CorsPolicy? _corsPolicy;
    private readonly string _cacheControl;

    public ContentFastPath(RequestDelegate next, VerifiedTokens tokens, ContentCatalog catalog, EdgeMetrics metrics,
        ServingFaults faults, ICorsService cors, IOptions<CorsOptions> corsOptions, IOptions<EdgeOptions> options)
    {
        _next = next;
        _tokens = tokens;
        _catalog = catalog;
        _metrics = metrics;
        _faults = faults;
        _cors = cors;
        _corsPolicy = corsOptions.Value.GetPolicy(ContentEndpoints.CorsPolicy);
        _cacheControl = ContentEndpoints.CacheControl(options.Value.CacheMaxAgeSeconds);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var head = HttpMethods.IsHead(request.Method);
        var range = request.Headers.Range;
        if (!(head || HttpMethods.IsGet(request.Method))
            || range.Count > 1
            || HasPrecondition(request.Headers)
            || !ContentResponse.TryResolve(
                request.Path.Value ?? string.Empty, range.Count == 1 ? range[0] : null, _tokens, _catalog, out var response))
        {
            return _next(context);
        }
        WriteHeaders(context, response);
        if (head)
        {
            response.Release();
            _metrics.ContentServed(response.Partial, 0);
            return Task.CompletedTask;
        }
        return SendBodyAsync(context, response);
    }

    private async Task SendBodyAsync(HttpContext context, ContentResponse response)
    {
        try
        {
            var outcome = await FileBody.SendAsync(context.Response, response.Handle, response.From, response.Count, context.RequestAborted);
            switch (outcome)
            {
                case SendOutcome.Sent:
                    _metrics.ContentServed(response.Partial, response.Count);
                    break;
                case SendOutcome.ClientGone or SendOutcome.Stalled:
                    _faults.CutShort(outcome, response, "Kestrel");
                    _metrics.ContentServed(response.Partial, 0);
                    break;
                default:
                    // The headers promised bytes this file can no longer give: the connection ends, so the client cannot
                    // take a short body (or the next response) for the rest of this one.
                    context.Abort();
                    _faults.CutShort(outcome, response, "Kestrel");
                    break;
            }
        }
        finally
        {
            response.Release();
        }
    }

    private void WriteHeaders(HttpContext context, ContentResponse content)
    {
        var (file, partial, from, count) = (content.File, content.Partial, content.From, content.Count);
        var response = context.Response;
        var headers = response.Headers;
        if (_corsPolicy is not null && context.Request.Headers.Origin.Count > 0)
        {
            _cors.ApplyResult(_cors.EvaluatePolicy(context, _corsPolicy), response);
        }
        response.StatusCode = partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        headers.ContentType = file.ContentType;
        headers.AcceptRanges = "bytes";
        headers.ETag = file.EntityTag;
        headers.LastModified = file.LastModified;
        headers.CacheControl = _cacheControl;
        if (partial)
        {
            headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {from}-{from + count - 1}/{file.Length}");
        }
        response.ContentLength = count;
    }

    private static bool HasPrecondition(IHeaderDictionary headers) =>
        headers.IfMatch.Count > 0 || headers.IfNoneMatch.Count > 0 || headers.IfModifiedSince.Count > 0
        || headers.IfUnmodifiedSince.Count > 0 || headers.IfRange.Count > 0;
}
