using System.Net;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Tests.Prefixes;

public sealed class IpPrefixTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", true)]
    [InlineData(" 192.0.2.0/24 ", "192.0.2.0/24", true)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", true)]
    [InlineData("203.0.113.7/32", "203.0.113.7/32", true)]
    [InlineData("2001:db8::/32", "2001:db8::/32", false)]
    [InlineData("::/0", "::/0", false)]
    [InlineData("2001:db8::1/128", "2001:db8::1/128", false)]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8", true)]
    public void Parse_ValidCidr_RoundTrips(string text, string expected, bool isV4)
    {
        var prefix = IpPrefix.Parse(text);

        Assert.Equal(expected, prefix.ToString());
        Assert.Equal(isV4, prefix.IsV4);
    }

    [Theory]
    [InlineData(null, nameof(PrefixParseError.Empty))]
    [InlineData("  ", nameof(PrefixParseError.Empty))]
    [InlineData("10.0.0.0", nameof(PrefixParseError.MissingLength))]
    [InlineData("10/8", nameof(PrefixParseError.InvalidAddress))]
    [InlineData("10.0.0/8", nameof(PrefixParseError.InvalidAddress))]
    [InlineData("10.0.0.256/32", nameof(PrefixParseError.InvalidAddress))]
    [InlineData("fe80::%eth0/64", nameof(PrefixParseError.InvalidAddress))]
    [InlineData("example.com/8", nameof(PrefixParseError.InvalidAddress))]
    [InlineData("10.0.0.0/33", nameof(PrefixParseError.InvalidLength))]
    [InlineData("10.0.0.0/-1", nameof(PrefixParseError.InvalidLength))]
    [InlineData("10.0.0.0/", nameof(PrefixParseError.InvalidLength))]
    [InlineData("2001:db8::/129", nameof(PrefixParseError.InvalidLength))]
    [InlineData("10.1.0.0/8", nameof(PrefixParseError.HostBitsSet))]
    [InlineData("2001:db8::1/64", nameof(PrefixParseError.HostBitsSet))]
    public void TryParse_InvalidCidr_SaysWhy(string? text, string expected)
    {
        Assert.Equal(Enum.Parse<PrefixParseError>(expected), IpPrefix.TryParse(text, out _));
    }

    [Fact]
    public void Parse_InvalidCidr_ThrowsWithAMessageThatNamesTheInput()
    {
        var error = Assert.Throws<FormatException>(() => IpPrefix.Parse("10.1.0.0/8"));

        Assert.Contains("10.1.0.0/8", error.Message, StringComparison.Ordinal);
        Assert.Contains("network address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V4Prefix_ContainsTheV4AndTheMappedV6FormOfAnAddress()
    {
        var prefix = IpPrefix.Parse("10.0.0.0/8");

        Assert.True(prefix.Contains(IpKey.From(IPAddress.Parse("10.200.3.4"))));
        Assert.True(prefix.Contains(IpKey.From(IPAddress.Parse("::ffff:10.200.3.4"))));
        Assert.False(prefix.Contains(IpKey.From(IPAddress.Parse("11.0.0.1"))));
        Assert.False(prefix.Contains(IpKey.From(IPAddress.Parse("::a00:1"))));
    }

    [Fact]
    public void V4Default_DoesNotCoverIPv6()
    {
        var prefix = IpPrefix.Parse("0.0.0.0/0");

        Assert.True(prefix.Contains(IpKey.From(IPAddress.Parse("255.255.255.255"))));
        Assert.False(prefix.Contains(IpKey.From(IPAddress.Parse("2001:db8::1"))));
    }
}
