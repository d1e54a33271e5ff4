using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenCdn.Testing;

/// <summary>
/// A load balancer in front of several control-plane instances, as an operator runs them: every request goes to the next
/// backend in turn (no stickiness, so one client's requests land on every instance). A backend that refuses connections
/// is skipped, as a balancer's health check would take it out, and the request goes to the next one. Bodies are buffered:
/// this is for API traffic (heartbeats, plans, sessions), not uploads.
/// </summary>
public sealed class RoundRobinBalancer : IAsyncDisposable
{
    private const int MaxBody = 16 << 20;
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private Uri[] _backends; // replaced whole when an instance joins
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromMinutes(2),
    };
    private readonly WebApplication _app;
    private readonly Dictionary<Uri, int> _served = [];
    private int _next;

    private RoundRobinBalancer(Uri[] backends)
    {
        _backends = backends;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(ForwardAsync);
    }

    public Uri Url { get; private set; } = null!;

    public static async Task<RoundRobinBalancer> StartAsync(params Uri[] backends)
    {
        var balancer = new RoundRobinBalancer(backends);
        await balancer._app.StartAsync();
        var address = balancer._app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        balancer.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        return balancer;
    }

    /// <summary>Puts another instance behind the balancer: from the next request on it takes its turn.</summary>
    public void Add(Uri backend) => Volatile.Write(ref _backends, [.. Volatile.Read(ref _backends), backend]);

    /// <summary>How many requests each backend answered, so a test can see both took their share.</summary>
    public int Served(Uri backend)
    {
        lock (_served)
        {
            return _served.GetValueOrDefault(backend);
        }
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request);
        var backends = Volatile.Read(ref _backends);
        for (var attempt = 0; attempt < backends.Length; attempt++)
        {
            var backend = backends[(int)((uint)Interlocked.Increment(ref _next) % backends.Length)];
            using var request = Copy(context.Request, backend, body);
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                continue; // down: the next backend takes it
            }
            using (response)
            {
                lock (_served)
                {
                    _served[backend] = _served.GetValueOrDefault(backend) + 1;
                }
                await CopyAsync(response, context);
            }
            return;
        }
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.Length <= MaxBody
            ? buffer.ToArray()
            : throw new InvalidOperationException("Bodies over 16 MiB do not go through the balancer.");
    }

    private static HttpRequestMessage Copy(HttpRequest source, Uri backend, byte[] body)
    {
        var message = new HttpRequestMessage(new HttpMethod(source.Method), new Uri(backend, source.Path + source.QueryString));
        if (body.Length > 0 || HttpMethods.IsPost(source.Method) || HttpMethods.IsPut(source.Method) || HttpMethods.IsPatch(source.Method))
        {
            message.Content = new ByteArrayContent(body);
        }
        foreach (var (name, values) in source.Headers)
        {
            if (!HopHeaders.Contains(name) && !message.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }
        return message;
    }

    private static async Task CopyAsync(HttpResponseMessage response, HttpContext context)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        if (response.StatusCode != HttpStatusCode.NotModified && !HttpMethods.IsHead(context.Request.Method))
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }
}
