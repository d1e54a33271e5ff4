using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Origin;

/// <summary>
/// Answers a GET or HEAD for an origin object from any store (files or S3): RFC 9110 preconditions, then a single byte
/// range (GET only); a HEAD gets the headers the GET would, without the body.
/// </summary>
internal static class OriginResponder
{
    /// <summary>
    /// Every answer an origin route gives: refused (403, by the route's own check), not found, a status without a body
    /// (304, 412, 416), a HEAD's headers, or the bytes.
    /// </summary>
    public static async Task<Results<ProblemHttpResult, NotFound, StatusCodeHttpResult, EmptyHttpResult, FileStreamHttpResult>> RespondAsync(
        HttpContext context, IObjectStore origin, string key)
    {
        if (!ObjectKey.IsValid(key))
        {
            return TypedResults.NotFound();
        }
        var ct = context.RequestAborted;
        var info = await origin.HeadAsync(key, ct);
        if (info is null)
        {
            return TypedResults.NotFound();
        }
        SetHeaders(context, info);
        var request = context.Request.GetTypedHeaders();
        switch (OriginPreconditions.Evaluate(request, info))
        {
            case PreconditionOutcome.NotModified:
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            case PreconditionOutcome.Failed:
                return TypedResults.StatusCode(StatusCodes.Status412PreconditionFailed);
        }
        // Range applies to GET only (RFC 9110 §14.2).
        var range = HttpMethods.IsGet(context.Request.Method) && OriginPreconditions.RangeApplies(request, info)
            ? SingleRange(request.Range, info.Size)
            : null;
        if (range is { Satisfiable: false })
        {
            context.Response.Headers.ContentRange = $"bytes */{info.Size}";
            return TypedResults.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
        }
        context.Response.ContentType = ContentTypes.Of(key);
        context.Response.ContentLength = range?.Bytes.Length ?? info.Size;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return TypedResults.Empty;
        }
        var content = await origin.GetAsync(key, range?.Bytes, ct);
        if (content is null)
        {
            return TypedResults.NotFound();
        }
        if (range is not null)
        {
            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.Headers.ContentRange = new ContentRangeHeaderValue(range.Bytes.From, range.Bytes.To!.Value, info.Size).ToString();
        }
        return TypedResults.Stream(content.Body, ContentTypes.Of(key));
    }

    /// <summary>The one <c>bytes</c> range asked for, clamped to the object; null when there is none (or several: the whole object then).</summary>
    private static RequestedRange? SingleRange(RangeHeaderValue? header, long size)
    {
        if (header is null || header.Ranges.Count != 1 || !string.Equals(header.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var wanted = header.Ranges.Single();
        var requested = wanted.From is null
            ? new ByteRange(Math.Max(0, size - (wanted.To ?? 0)), null)
            : new ByteRange(wanted.From.Value, wanted.To);
        return requested.ClampTo(size) is { } clamped
            ? new RequestedRange(clamped, Satisfiable: true)
            : new RequestedRange(requested, Satisfiable: false);
    }

    private static void SetHeaders(HttpContext context, ObjectInfo info)
    {
        context.Response.Headers.AcceptRanges = "bytes";
        context.Response.Headers.ETag = info.ETag;
        context.Response.Headers.LastModified = info.LastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "private, max-age=3600";
    }

    private sealed record RequestedRange(ByteRange Bytes, bool Satisfiable);
}
