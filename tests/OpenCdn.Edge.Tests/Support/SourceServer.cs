using System.Collections.Concurrent;

namespace OpenCdn.Edge.Tests.Support;

/// <summary>
/// A fill source on real Kestrel at 127.0.0.1: serves files by path (or by file name) with byte ranges, and records
/// every request (path, Range, bearer, bytes sent). It can serve corrupt bytes, or break off after a number of bytes.
/// </summary>
public sealed class SourceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    private SourceServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<SourceRequest> Requests { get; } = new();

    /// <summary>Serve every file with its bytes inverted (a source that lies).</summary>
    public bool Corrupt { get; set; }

    /// <summary>Close the connection after this many body bytes of one response, once.</summary>
    public long? BreakAfterBytes { get; set; }

    public long BytesSent => Requests.Sum(r => r.BytesSent);

    /// <summary>Serves <paramref name="bytes"/> at exactly <paramref name="pathOrName"/>, or at any path ending in that file name.</summary>
    public void Add(string pathOrName, byte[] bytes) => _files[pathOrName] = bytes;

    public Uri UrlOf(string prefix, string name) => new(BaseUrl, $"{prefix}/{name}");

    public static async Task<SourceServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        SourceServer? server = null;
        app.MapGet("/{**path}", (HttpContext context, string path) => server!.ServeAsync(context, path));
        await app.StartAsync();
        server = new SourceServer(app, Loopback.BaseUrl(app));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context, string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        var record = new SourceRequest(path, context.Request.Headers.Range.ToString(), context.Request.Headers.Authorization.ToString());
        Requests.Enqueue(record);
        if (!_files.TryGetValue(path, out var bytes) && !_files.TryGetValue(name, out bytes))
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (Corrupt)
        {
            bytes = bytes.Select(b => (byte)~b).ToArray();
        }
        var (from, to) = (0L, bytes.Length - 1L);
        if (record.Range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            var spec = record.Range["bytes=".Length..].Split('-');
            from = long.Parse(spec[0], System.Globalization.CultureInfo.InvariantCulture);
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{to}/{bytes.Length}";
        }
        var length = to - from + 1;
        context.Response.ContentLength = length;
        var limit = BreakAfterBytes;
        BreakAfterBytes = null;
        for (var offset = from; offset <= to; offset += 16 * 1024)
        {
            var chunk = (int)Math.Min(16 * 1024, to + 1 - offset);
            if (limit is { } l && record.BytesSent + chunk > l)
            {
                await context.Response.Body.FlushAsync();
                context.Abort();
                return;
            }
            await context.Response.Body.WriteAsync(bytes.AsMemory((int)offset, chunk), context.RequestAborted);
            record.BytesSent += chunk;
        }
    }
}
