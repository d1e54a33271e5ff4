using Microsoft.Extensions.Logging.Abstractions;
using OpenCdn.Edge.Serving.Tls;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>The C heap is trimmed after TLS sessions ended, and only then: an edge at rest makes no calls.</summary>
public sealed class NativeHeapTrimmerTests
{
    [Fact]
    public void Trims_OnlyWhenTlsSessionsEndedSinceTheLastTrim()
    {
        var trimmer = new NativeHeapTrimmer(TimeProvider.System, NullLogger<NativeHeapTrimmer>.Instance);

        Assert.True(trimmer.TrimIfSessionsEnded());
        Assert.Equal(0, trimmer.Trims);
        trimmer.SessionEnded();
        trimmer.SessionEnded();
        Assert.True(trimmer.TrimIfSessionsEnded()); // glibc here: malloc_trim is there
        Assert.Equal(1, trimmer.Trims);
        Assert.True(trimmer.TrimIfSessionsEnded());
        Assert.Equal(1, trimmer.Trims);
    }
}
