using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace OpenCdn.Edge.Serving.Direct;

/// <summary>
/// The CORS response header lines for a request <c>Origin</c> under the content policy, exactly as ASP.NET Core's
/// <see cref="ICorsService"/> decides them: it is asked once per allowed origin (the configured few), and every time for
/// an origin it refuses, so a stream of made-up origins cannot grow the memory.
/// </summary>
internal sealed class CorsLines(ICorsService cors, CorsPolicy? policy)
{
    private readonly ConcurrentDictionary<string, byte[]> _allowed = new(StringComparer.Ordinal);

    /// <summary>The lines, each ending with CRLF; empty without an origin. <paramref name="origin"/> must be visible ASCII.</summary>
    public byte[] For(string? origin)
    {
        if (origin is null || policy is null)
        {
            return [];
        }
        if (_allowed.TryGetValue(origin, out var lines))
        {
            return lines;
        }
        lines = Evaluate(origin, policy);
        if (policy.IsOriginAllowed(origin))
        {
            _allowed.TryAdd(origin, lines);
        }
        return lines;
    }

    private byte[] Evaluate(string origin, CorsPolicy content)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Headers.Origin = origin;
        cors.ApplyResult(cors.EvaluatePolicy(context, content), context.Response);
        var text = new StringBuilder();
        foreach (var (name, values) in context.Response.Headers)
        {
            text.Append(name).Append(": ").Append(values.ToString()).Append("\r\n");
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
