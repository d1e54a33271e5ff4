using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OpenCdn.ControlPlane.Auth;

namespace OpenCdn.ControlPlane.RateLimits;

/// <summary>
/// Rate limits per client address: <see cref="EdgeRegistration"/> is an endpoint policy of ASP.NET Core's rate limiter;
/// sign-in counts failures only (<see cref="SignInThrottle"/>, the same limiters); playback, which every viewer calls,
/// counts with an <see cref="AddressWindowLimiter"/> (<see cref="LimitPlaybackStarts"/>). Every refusal is a 429
/// ProblemDetails with <c>Retry-After</c>.
/// </summary>
internal static class RateLimitSetup
{
    public const string EdgeRegistration = "edge-registration";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton(services => new AddressWindowLimiter(
            services.GetRequiredService<IOptions<RateLimitOptions>>().Value.PlaybackSessionsPerAddress, TimeSpan.FromMinutes(1),
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(EdgeRegistration, context => PerAddressPerMinute(context, options => options.EdgeRegistrationsPerAddress));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                await TooManyRequests(rejected.HttpContext, retryAfter).ExecuteAsync(rejected.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>Limits a route by <c>OpenCdn:RateLimits:PlaybackSessionsPerAddress</c> per client address and minute.</summary>
    public static RouteHandlerBuilder LimitPlaybackStarts(this RouteHandlerBuilder route) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var limiter = http.RequestServices.GetRequiredService<AddressWindowLimiter>();
            return limiter.TryAcquire(http.Connection.RemoteIpAddress ?? System.Net.IPAddress.IPv6None, out var retryAfter)
                ? await next(context)
                : TooManyRequests(http, retryAfter);
        });

    /// <summary>The key requests are counted under: the client's address after forwarded-header processing.</summary>
    public static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>A 429 ProblemDetails with <c>Retry-After</c> in whole seconds.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            $"Too many requests; try again in {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
    }

    private static RateLimitPartition<string> PerAddressPerMinute(HttpContext context, Func<RateLimitOptions, int> limit)
    {
        var permits = limit(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
