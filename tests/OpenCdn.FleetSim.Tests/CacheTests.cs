using OpenCdn.FleetSim.Pull;

namespace OpenCdn.FleetSim.Tests;

/// <summary>The two pull policies are really different policies once a cache is full.</summary>
public sealed class CacheTests
{
    [Fact]
    public void WhenFull_LruDropsTheLeastRecent_LfuDaTheLeastFrequent()
    {
        ICache[] caches = [new LruCache(200), new LfuDaCache(200)];
        foreach (var cache in caches)
        {
            cache.Request(1, 100);
            cache.Request(1, 100);
            cache.Request(1, 100); // key 1: three requests, then not for a while
            cache.Request(2, 100); // key 2: one, more recent
            Assert.Equal(0, cache.Evicted);
            cache.Request(3, 100); // full: one of them goes
            Assert.Equal(100, cache.Evicted);
            Assert.Equal(200, cache.Used);
        }

        Assert.Equal(0, caches[0].Request(1, 100)); // LRU dropped the popular but older key 1
        Assert.Equal(100, caches[1].Request(1, 100)); // LFU-DA kept it and dropped key 2
    }
}
