using System.Text;
using OpenCdn.ControlPlane.Subtitles;

namespace OpenCdn.ControlPlane.Tests;

public sealed class SubtitleDocumentTests
{
    [Fact]
    public void SubRip_WithBomAndCrLf_BecomesWebVtt()
    {
        var srt = "\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nHello\r\nthere\r\n\r\n2\r\n01:02:03,004 --> 01:02:04,000\r\nBye --> now\r\n";

        var (cues, error) = SubtitleDocument.Parse(Encoding.UTF8.GetBytes(srt));

        Assert.Null(error);
        Assert.Equal("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\nthere\n\n01:02:03.004 --> 01:02:04.000\nBye -> now\n\n",
            SubtitleDocument.ToWebVtt(cues!));
    }

    [Fact]
    public void WebVtt_WithoutHours_NotesAndSettings_KeepsItsCues()
    {
        var vtt = "WEBVTT\n\nNOTE a note\n\nSTYLE\n::cue { color: red }\n\nid-1\n00:01.000 --> 00:02.000 line:0\nOne\n";

        var (cues, _) = SubtitleDocument.Parse(Encoding.UTF8.GetBytes(vtt));

        var cue = Assert.Single(cues!);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), "One"), (cue.Start, cue.End, cue.Text));
    }

    [Theory]
    [InlineData("just some words\n", "timing")]
    [InlineData("1\n00:00:02,000 --> 00:00:01,000\nBackwards\n", "impossible")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\n", "lines")]
    [InlineData("1\n00:61:00,000 --> 00:62:00,000\nMinutes\n", "impossible")]
    [InlineData("WEBVTT\n", "no cues")]
    [InlineData("", "no cues")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nA\u0001B\n", "control")]
    public void NotACueList_IsRefusedWithAReason(string body, string reason)
    {
        var (cues, error) = SubtitleDocument.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(cues);
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void InvalidUtf8_IsRefused() =>
        Assert.Contains("UTF-8", SubtitleDocument.Parse([0x31, 0x0A, 0xFF, 0xFE, 0xC3]).Error, StringComparison.Ordinal);
}
