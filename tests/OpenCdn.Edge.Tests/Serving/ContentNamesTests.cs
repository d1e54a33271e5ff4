using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>The name patterns end at the end of the string: .NET's <c>$</c> also matches before a final newline.</summary>
public sealed class ContentNamesTests
{
    [Theory]
    [InlineData("title1\n")]
    [InlineData("title1\r\n")]
    public void TitleId_WithATrailingNewline_IsRefused(string titleId) => Assert.False(ContentNames.IsTitleId(titleId));

    [Theory]
    [InlineData("video_720p.mp4\n")]
    [InlineData("package.json\n")]
    public void FileName_WithATrailingNewline_IsRefused(string fileName) => Assert.False(ContentNames.IsFileName(fileName));

    [Fact]
    public void PlainNames_AreAccepted()
    {
        Assert.True(ContentNames.IsTitleId("title1"));
        Assert.True(ContentNames.IsFileName("video_720p.mp4"));
    }
}
