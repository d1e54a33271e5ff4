using OpenCdn.Cli.Uploads;

namespace OpenCdn.Cli.Tests;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("100", 100)]
    [InlineData("64K", 64 * 1024)]
    [InlineData("8m", 8 * 1024 * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    public void TryParse_NumberWithOptionalBinarySuffix_ReadsBytes(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("M")]
    [InlineData("1.5M")]
    [InlineData("-1")]
    [InlineData("8Q")]
    [InlineData("99999999999999G")]
    public void TryParse_NotASize_IsRefused(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(2901708, "2.8 MiB")]
    public void Format_UsesBinaryUnits(long bytes, string text) => Assert.Equal(text, ByteSize.Format(bytes));
}
