using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenCdn.Testing.Otlp;

/// <summary>
/// A real OTLP/HTTP receiver (protobuf bodies, as a collector takes them) on real Kestrel at 127.0.0.1:0. It keeps every
/// span and metric name it is sent, and counts every request, whatever its path.
/// </summary>
public sealed class OtlpReceiver : IAsyncLifetime
{
    private readonly List<OtlpSpan> _spans = [];
    private readonly List<(string Service, string Metric)> _metrics = [];
    private WebApplication? _app;
    private int _requests;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Requests received on any path, parsed or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyList<OtlpSpan> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    public IReadOnlyList<(string Service, string Metric)> Metrics
    {
        get
        {
            lock (_metrics)
            {
                return [.. _metrics];
            }
        }
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            Interlocked.Increment(ref _requests);
            return next(context);
        });
        _app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            var spans = OtlpProtobuf.Spans(await ReadAsync(request)).ToList();
            lock (_spans)
            {
                _spans.AddRange(spans);
            }
            return Results.Bytes([], "application/x-protobuf"); // an empty ExportTraceServiceResponse: all accepted
        });
        _app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            var metrics = OtlpProtobuf.Metrics(await ReadAsync(request)).ToList();
            lock (_metrics)
            {
                _metrics.AddRange(metrics);
            }
            return Results.Bytes([], "application/x-protobuf");
        });
        await _app.StartAsync();
        BaseUrl = new Uri(_app.Urls.First());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static async Task<ByteString> ReadAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return ByteString.CopyFrom(body.ToArray());
    }
}
