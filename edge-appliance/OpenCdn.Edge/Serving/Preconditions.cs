using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// RFC 9110 §13.2.2 evaluation of preconditions for GET/HEAD, in the order the RFC (and ASP.NET Core's file results)
/// use: If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since.
/// </summary>
internal static class Preconditions
{
    public static PreconditionOutcome Evaluate(RequestHeaders headers, EntityTagHeaderValue etag, DateTimeOffset lastModified)
    {
        var ifMatch = headers.IfMatch;
        if (ifMatch.Count > 0)
        {
            if (!Matches(ifMatch, etag, strong: true))
            {
                return PreconditionOutcome.PreconditionFailed; // §13.1.1
            }
        }
        else if (headers.IfUnmodifiedSince is { } unmodifiedSince && lastModified > unmodifiedSince)
        {
            return PreconditionOutcome.PreconditionFailed; // §13.1.4
        }
        var ifNoneMatch = headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            return Matches(ifNoneMatch, etag, strong: false) ? PreconditionOutcome.NotModified : PreconditionOutcome.Proceed; // §13.1.2
        }
        return headers.IfModifiedSince is { } modifiedSince && lastModified <= modifiedSince
            ? PreconditionOutcome.NotModified // §13.1.3
            : PreconditionOutcome.Proceed;
    }

    /// <summary>§13.1.5: a Range applies only when If-Range is absent or names the current validator (strong ETag, exact date).</summary>
    public static bool RangeApplies(RequestHeaders headers, EntityTagHeaderValue etag, DateTimeOffset lastModified)
    {
        if (headers.IfRange is not { } ifRange)
        {
            return true;
        }
        return ifRange.EntityTag is { } tag ? tag.Compare(etag, useStrongComparison: true) : ifRange.LastModified == lastModified;
    }

    private static bool Matches(IList<EntityTagHeaderValue> tags, EntityTagHeaderValue etag, bool strong)
    {
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, strong))
            {
                return true;
            }
        }
        return false;
    }
}
