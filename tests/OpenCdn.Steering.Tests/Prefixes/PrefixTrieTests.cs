using System.Net;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Tests.Prefixes;

public sealed class PrefixTrieTests
{
    [Fact]
    public void Longest_AgreesWithALinearScan_OnRandomIPv4AndIPv6Prefixes()
    {
        var random = new Random(20261125);
        var prefixes = RandomPrefixes(random, 3000);
        var builder = new PrefixTrieBuilder();
        var ids = prefixes.Select(builder.Add).ToArray();
        var trie = builder.Build();
        Span<int> matches = stackalloc int[PrefixTrie.MaxMatches];

        for (var i = 0; i < 10_000; i++)
        {
            var address = RandomAddress(random, prefixes);
            var expected = prefixes.Select((p, index) => (p, index)).Where(x => x.p.Contains(address))
                .OrderByDescending(x => x.p.Length).Select(x => ids[x.index]).Distinct().ToArray();

            Assert.Equal(expected.Length == 0 ? -1 : expected[0], trie.Longest(address));
            var count = trie.Matches(address, matches);
            Assert.Equal(expected, matches[..count].ToArray());
        }
    }

    [Fact]
    public void Build_SamePrefixTwice_KeepsOneId()
    {
        var builder = new PrefixTrieBuilder();

        var first = builder.Add(IpPrefix.Parse("10.0.0.0/8"));
        var again = builder.Add(IpPrefix.Parse("::ffff:10.0.0.0/104"));

        Assert.Equal(first, again);
        Assert.Equal(1, builder.Build().PrefixCount);
    }

    [Fact]
    public void Longest_EdgeCases_DefaultRoutesHostRoutesAndOverlaps()
    {
        var builder = new PrefixTrieBuilder();
        var v4Default = builder.Add(IpPrefix.Parse("0.0.0.0/0"));
        var v6Default = builder.Add(IpPrefix.Parse("::/0"));
        var ten = builder.Add(IpPrefix.Parse("10.0.0.0/8"));
        var tenOne = builder.Add(IpPrefix.Parse("10.1.0.0/16"));
        var host = builder.Add(IpPrefix.Parse("10.1.2.3/32"));
        var v6Host = builder.Add(IpPrefix.Parse("2001:db8::1/128"));
        var trie = builder.Build();

        Assert.Equal(host, Longest(trie, "10.1.2.3"));
        Assert.Equal(host, Longest(trie, "::ffff:10.1.2.3"));
        Assert.Equal(tenOne, Longest(trie, "10.1.2.4"));
        Assert.Equal(ten, Longest(trie, "10.2.0.0"));
        Assert.Equal(v4Default, Longest(trie, "192.0.2.1"));
        Assert.Equal(v6Host, Longest(trie, "2001:db8::1"));
        Assert.Equal(v6Default, Longest(trie, "2001:db8::2"));
        Span<int> matches = stackalloc int[PrefixTrie.MaxMatches];
        var count = trie.Matches(IpKey.From(IPAddress.Parse("10.1.2.3")), matches);
        Assert.Equal([host, tenOne, ten, v4Default, v6Default], matches[..count].ToArray());
    }

    [Fact]
    public void Longest_EmptyTrie_MatchesNothing()
    {
        Assert.Equal(-1, Longest(PrefixTrie.Empty, "10.0.0.1"));
        Assert.Equal(-1, Longest(PrefixTrie.Empty, "::1"));
    }

    [Fact]
    public void Matches_ShortBuffer_KeepsTheLongest()
    {
        var builder = new PrefixTrieBuilder();
        string[] cidrs = ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"];
        var ids = cidrs.Select(t => builder.Add(IpPrefix.Parse(t))).ToArray();
        Span<int> two = stackalloc int[2];

        var count = builder.Build().Matches(IpKey.From(IPAddress.Parse("10.1.2.9")), two);

        Assert.Equal([ids[2], ids[1]], two[..count].ToArray());
    }

    private static int Longest(PrefixTrie trie, string address) => trie.Longest(IpKey.From(IPAddress.Parse(address)));

    internal static List<IpPrefix> RandomPrefixes(Random random, int count)
    {
        var prefixes = new List<IpPrefix>(count);
        for (var i = 0; i < count; i++)
        {
            if (random.Next(2) == 0)
            {
                // IPv4, mostly realistic lengths, clustered in a few /8s so that prefixes overlap.
                var length = random.Next(10) == 0 ? random.Next(0, 33) : random.Next(8, 33);
                var address = ((uint)random.Next(4) << 24) | (uint)random.Next();
                prefixes.Add(IpPrefix.Create(IpKey.FromV4(address), IpKey.V4Offset + length));
            }
            else
            {
                var length = random.Next(10) == 0 ? random.Next(0, 129) : random.Next(16, 65);
                var address = ((UInt128)(0x2001_0db8UL | ((ulong)random.Next(4) << 32)) << 96) | RandomBits(random);
                prefixes.Add(IpPrefix.Create(address, length));
            }
        }
        return prefixes;
    }

    /// <summary>Half the time an address inside one of the prefixes (random host bits), else anywhere.</summary>
    internal static UInt128 RandomAddress(Random random, List<IpPrefix> prefixes)
    {
        var bits = RandomBits(random);
        if (random.Next(2) == 0)
        {
            return random.Next(2) == 0 ? IpKey.FromV4((uint)random.NextInt64(0, 1L << 32)) : bits;
        }
        var prefix = prefixes[random.Next(prefixes.Count)];
        return prefix.Network | (bits & ~IpKey.Mask(prefix.Length));
    }

    private static UInt128 RandomBits(Random random) => new((ulong)random.NextInt64(), (ulong)random.NextInt64());
}
