using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Origin;

/// <summary>Answers a GET or HEAD for an origin object, honouring a single byte range, from any store (files or S3).</summary>
internal static class OriginResponder
{
    public static async Task<IResult> RespondAsync(HttpContext context, IObjectStore origin, string key)
    {
        if (!ObjectKey.IsValid(key))
        {
            return TypedResults.NotFound();
        }
        var ct = context.RequestAborted;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // Range applies to GET only (RFC 9110 §14.2); a HEAD needs the object's metadata, never its body.
            var head = await origin.HeadAsync(key, ct);
            if (head is null)
            {
                return TypedResults.NotFound();
            }
            SetHeaders(context, head);
            context.Response.ContentLength = head.Size;
            context.Response.ContentType = ContentTypes.Of(key);
            return TypedResults.Empty;
        }
        var range = context.Request.GetTypedHeaders().Range;
        if (range is null || range.Ranges.Count != 1 || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase))
        {
            var whole = await origin.GetAsync(key, null, ct);
            return whole is null ? TypedResults.NotFound() : Stream(context, whole, key);
        }
        var info = await origin.HeadAsync(key, ct);
        if (info is null)
        {
            return TypedResults.NotFound();
        }
        var wanted = range.Ranges.Single();
        var requested = wanted.From is null
            ? new ByteRange(Math.Max(0, info.Size - (wanted.To ?? 0)), null)
            : new ByteRange(wanted.From.Value, wanted.To);
        if (requested.ClampTo(info.Size) is not { } clamped)
        {
            context.Response.Headers.ContentRange = $"bytes */{info.Size}";
            return TypedResults.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
        }
        var part = await origin.GetAsync(key, clamped, ct);
        if (part is null)
        {
            return TypedResults.NotFound();
        }
        context.Response.StatusCode = StatusCodes.Status206PartialContent;
        context.Response.Headers.ContentRange = new ContentRangeHeaderValue(clamped.From, clamped.To!.Value, info.Size).ToString();
        context.Response.ContentLength = clamped.Length;
        return Stream(context, part, key);
    }

    private static FileStreamHttpResult Stream(HttpContext context, ObjectContent content, string key)
    {
        SetHeaders(context, content.Info);
        context.Response.ContentLength ??= content.Info.Size;
        return TypedResults.Stream(content.Body, ContentTypes.Of(key));
    }

    private static void SetHeaders(HttpContext context, ObjectInfo info)
    {
        context.Response.Headers.AcceptRanges = "bytes";
        context.Response.Headers.ETag = info.ETag;
        context.Response.Headers.CacheControl = "private, max-age=3600";
    }
}
