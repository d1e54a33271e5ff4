using Microsoft.Extensions.Logging.Abstractions;
using OpenCdn.Edge.Metrics;
using OpenCdn.Edge.Serving;
using OpenCdn.Edge.Tests.Support;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// Memory goes back after bursts, and only then: the C heap after TLS sessions ended, the managed heap after the open
/// connections fell by a burst; an edge at rest or under steady load makes no calls.
/// </summary>
public sealed class MemoryTrimmerTests
{
    [Fact]
    public void Trims_TheCHeap_OnlyWhenTlsSessionsEndedSinceTheLastTrim()
    {
        var trimmer = new MemoryTrimmer(TimeProvider.System, new EdgeMetrics(), NullLogger<MemoryTrimmer>.Instance);

        Assert.True(trimmer.TrimIfSessionsEnded());
        Assert.Equal(0, trimmer.Trims);
        trimmer.SessionEnded();
        trimmer.SessionEnded();
        Assert.True(trimmer.TrimIfSessionsEnded()); // glibc here: malloc_trim is there
        Assert.Equal(1, trimmer.Trims);
        Assert.True(trimmer.TrimIfSessionsEnded());
        Assert.Equal(1, trimmer.Trims);
    }

    [Fact]
    public void Trims_TheManagedHeap_OnceWhenABurstOfConnectionsEnded_NeverUnderSteadyLoad()
    {
        var metrics = new EdgeMetrics();
        var logs = new LogSink();
        using var logging = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var trimmer = new MemoryTrimmer(TimeProvider.System, metrics, logging.CreateLogger<MemoryTrimmer>());
        Open(metrics, 300);
        trimmer.TrimHeapIfBurstEnded();
        Close(metrics, 100); // 200 fewer: not a burst's end
        trimmer.TrimHeapIfBurstEnded();
        Assert.Equal(0, trimmer.HeapTrims);

        Close(metrics, 180); // 280 fewer than the most, and under half of it
        trimmer.TrimHeapIfBurstEnded();
        trimmer.TrimHeapIfBurstEnded();
        Assert.Equal(1, trimmer.HeapTrims);
        var told = Assert.Single(logs.Entries); // the operator learns what it gave back and what it cost
        Assert.Matches(@"^Open connections fell from 300 to 20: .* MiB committed in a [0-9.]+ ms pause$", told.Message);

        Open(metrics, 250); // steady load around 270 connections: nothing more
        trimmer.TrimHeapIfBurstEnded();
        Close(metrics, 30);
        trimmer.TrimHeapIfBurstEnded();
        Assert.Equal(1, trimmer.HeapTrims);
    }

    private static void Open(EdgeMetrics metrics, int count)
    {
        for (var i = 0; i < count; i++)
        {
            metrics.ConnectionOpened();
        }
    }

    private static void Close(EdgeMetrics metrics, int count)
    {
        for (var i = 0; i < count; i++)
        {
            metrics.ConnectionClosed();
        }
    }
}
