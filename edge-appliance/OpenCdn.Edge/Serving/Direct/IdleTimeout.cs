using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OpenCdn.Edge.Serving.Direct;

/// <summary>
/// How long the direct paths wait for a client's next request: Kestrel's keep-alive timeout, or no limit when it is
/// set past a day.
/// </summary>
internal static class IdleTimeout
{
    public static TimeSpan Of(KestrelServerOptions kestrel) =>
        kestrel.Limits.KeepAliveTimeout > TimeSpan.FromDays(1) ? Timeout.InfiniteTimeSpan : kestrel.Limits.KeepAliveTimeout;
}
