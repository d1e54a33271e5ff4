using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Origin;

/// <summary>What the conditional request headers make of a GET or HEAD (RFC 9110 §13.2.2, in its order).</summary>
internal enum PreconditionOutcome
{
    /// <summary>Serve the object; a <c>Range</c> applies when <see cref="OriginPreconditions.RangeApplies"/> says so.</summary>
    Proceed,

    /// <summary><c>304 Not Modified</c>: the client's copy is current.</summary>
    NotModified,

    /// <summary><c>412 Precondition Failed</c>.</summary>
    Failed,
}

/// <summary>RFC 9110 preconditions against an origin object's ETag and Last-Modified, as ASP.NET Core's file results apply them on edges.</summary>
internal static class OriginPreconditions
{
    public static PreconditionOutcome Evaluate(RequestHeaders request, ObjectInfo info)
    {
        var etag = EntityTagOf(info);
        var lastModified = Seconds(info.LastModified);
        // §13.2.2 steps 1-2: If-Match, else If-Unmodified-Since.
        if (request.IfMatch.Count > 0)
        {
            if (!request.IfMatch.Any(
                tag => tag.Equals(EntityTagHeaderValue.Any) || (etag is not null && tag.Compare(etag, useStrongComparison: true))))
            {
                return PreconditionOutcome.Failed;
            }
        }
        else if (request.IfUnmodifiedSince is { } unmodifiedSince && lastModified > unmodifiedSince)
        {
            return PreconditionOutcome.Failed;
        }
        // Steps 3-4: If-None-Match (weak comparison), else If-Modified-Since.
        if (request.IfNoneMatch.Count > 0)
        {
            return request.IfNoneMatch.Any(
                tag => tag.Equals(EntityTagHeaderValue.Any) || (etag is not null && tag.Compare(etag, useStrongComparison: false)))
                ? PreconditionOutcome.NotModified
                : PreconditionOutcome.Proceed;
        }
        return request.IfModifiedSince is { } modifiedSince && lastModified <= modifiedSince
            ? PreconditionOutcome.NotModified
            : PreconditionOutcome.Proceed;
    }

    /// <summary>
    /// Step 5: a <c>Range</c> counts only when <c>If-Range</c> is absent or names the current representation (a strong
    /// ETag match, or exactly its Last-Modified date); otherwise the whole object is sent with 200 (§13.1.5).
    /// </summary>
    public static bool RangeApplies(RequestHeaders request, ObjectInfo info)
    {
        var ifRange = request.IfRange;
        if (ifRange is null)
        {
            return true;
        }
        if (ifRange.EntityTag is { } tag)
        {
            return EntityTagOf(info) is { } etag && tag.Compare(etag, useStrongComparison: true);
        }
        return ifRange.LastModified is { } date && Seconds(info.LastModified) == date;
    }

    private static EntityTagHeaderValue? EntityTagOf(ObjectInfo info) =>
        EntityTagHeaderValue.TryParse(info.ETag, out var etag) ? etag : null;

    /// <summary>HTTP dates have whole seconds.</summary>
    private static DateTimeOffset Seconds(DateTimeOffset time) => time.AddTicks(-(time.UtcTicks % TimeSpan.TicksPerSecond));
}
