using System.Globalization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// Serves the request players send almost exclusively — <c>GET|HEAD /c/{token}/…</c> with a valid token for a catalogued
/// file, no precondition header, and no Range or one satisfiable <c>bytes</c> range — before routing, through the
/// catalog's shared file handle and with precomputed headers. Every other request, including every error, goes on to
/// <see cref="ContentEndpoints"/>, which implements the whole of RFC 9110's preconditions and ranges.
/// </summary>
internal sealed class ContentFastPath
{
    private readonly RequestDelegate _next;
    private readonly VerifiedTokens _tokens;
    private readonly ContentCatalog _catalog;
    private readonly EdgeMetrics _metrics;
    private readonly ICorsService _cors;
    private readonly CorsPolicy? _corsPolicy;
    private readonly string _cacheControl;

    public ContentFastPath(RequestDelegate next, VerifiedTokens tokens, ContentCatalog catalog, EdgeMetrics metrics,
        ICorsService cors, IOptions<CorsOptions> corsOptions, IOptions<EdgeOptions> options)
    {
        _next = next;
        _tokens = tokens;
        _catalog = catalog;
        _metrics = metrics;
        _cors = cors;
        _corsPolicy = corsOptions.Value.GetPolicy(ContentEndpoints.CorsPolicy);
        _cacheControl = ContentEndpoints.CacheControl(options.Value.CacheMaxAgeSeconds);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var head = HttpMethods.IsHead(request.Method);
        if (!(head || HttpMethods.IsGet(request.Method))
            || !ContentPath.TryParse(request.Path.Value ?? string.Empty, out var token, out var key)
            || HasPrecondition(request.Headers)
            || _tokens.Check(token, key.TitleId) != TokenCheck.Valid
            || !_catalog.TryGetServable(key, out var file))
        {
            return _next(context);
        }
        long from = 0, count = file.Length;
        var range = request.Headers.Range;
        var partial = range.Count > 0;
        if (partial && (range.Count > 1 || !SingleByteRange.TryParse(range[0]!, file.Length, out from, out count)))
        {
            return _next(context);
        }
        if (!file.TryOpen(out var handle, out var owned))
        {
            return _next(context); // closed or gone since the lookup: the full path answers (404)
        }
        WriteHeaders(context, file, partial, from, count);
        if (head)
        {
            DisposeIfOwned(handle, owned);
            _metrics.ContentServed(partial, 0);
            return Task.CompletedTask;
        }
        if (!owned && KernelSendFile.OutputFor(context, count) is { } output)
        {
            return KernelSendFile.SendAsync(context, output, handle, from, count, _metrics, partial);
        }
        return SendBodyAsync(context, handle, owned, partial, from, count);
    }

    private async Task SendBodyAsync(HttpContext context, SafeFileHandle handle, bool owned, bool partial, long from, long count)
    {
        try
        {
            var outcome = await FileBody.SendAsync(context.Response, handle, from, count, context.RequestAborted);
            if (outcome is FileBodyOutcome.FileClosed or FileBodyOutcome.FileShort)
            {
                context.Abort(); // the headers promised bytes this file can no longer give: end the connection
                return;
            }
            _metrics.ContentServed(partial, outcome == FileBodyOutcome.Sent ? count : 0);
        }
        finally
        {
            DisposeIfOwned(handle, owned);
        }
    }

    private void WriteHeaders(HttpContext context, ServableFile file, bool partial, long from, long count)
    {
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

    private static void DisposeIfOwned(SafeFileHandle handle, bool owned)
    {
        if (owned)
        {
            handle.Dispose();
        }
    }
}
