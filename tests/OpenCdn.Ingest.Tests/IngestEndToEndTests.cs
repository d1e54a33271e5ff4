using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>Upload through the API, transcode with real FFmpeg in a real worker process, check what players get.</summary>
public sealed class IngestEndToEndTests(PlatformProcesses platform) : IClassFixture<PlatformProcesses>, IDisposable
{
    private static readonly TimeSpan Transcode = TimeSpan.FromMinutes(3);
    private readonly TempFolder _masters = new();

    [Fact]
    public async Task Master720p25WithAudio_UploadedWithAnInterruption_BecomesAnOnDemandLadder()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("talk.mp4"), 1280, 720, "25", 12, audioChannels: 2);
        var bytes = await File.ReadAllBytesAsync(master);
        using var admin = await platform.AdminAsync();
        var id = await admin.CreateTitleAsync("Interrupted talk");
        var upload = await admin.CreateUploadAsync(id, bytes.Length, "talk.mp4");

        // The connection drops 60 % of the way in; tus resumes from what the server kept.
        await Assert.ThrowsAnyAsync<Exception>(
            () => admin.PatchAsync(upload, 0, new StreamContent(new BodyStream(bytes, failAfter: bytes.Length * 6 / 10, chunkSize: 64 * 1024))));
        var offset = await StableOffsetAsync(admin, upload);
        Assert.InRange(offset, 1, bytes.Length * 6 / 10);
        using (var rest = await admin.PatchAsync(upload, offset, new ByteArrayContent(bytes[(int)offset..])))
        {
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        }
        var title = await admin.WaitForOutcomeAsync(id, Transcode);

        Assert.Equal("ready", title.Status());
        var package = PackageChecks.Read(platform, id, 1);
        var videos = package.Representations.Where(r => r.Kind == MediaKind.Video).ToList();
        Assert.Equal([720, 480, 360, 240], videos.Select(r => r.Height!.Value));
        Assert.All(videos, v => Assert.Equal(0, v.Width!.Value % 2));
        Assert.Equal(1280, videos[0].Width);
        Assert.All(videos, v => Assert.StartsWith("avc1.64", v.Codecs, StringComparison.Ordinal));
        var audio = Assert.Single(package.Representations, r => r.Kind == MediaKind.Audio);
        Assert.Equal("mp4a.40.2", audio.Codecs);
        foreach (var r in package.Representations.Where(r => r.Kind is MediaKind.Video or MediaKind.Audio))
        {
            PackageChecks.AssertLayout(PackageChecks.FileOf(platform, package, r), r);
        }
        var keyframes = new List<IReadOnlyList<double>>();
        foreach (var video in videos)
        {
            keyframes.Add(await PackageChecks.KeyframesAsync(PackageChecks.FileOf(platform, package, video)));
        }
        Assert.Equal([0, 4, 8], keyframes[0]);
        Assert.All(keyframes, k => Assert.Equal(keyframes[0], k));
        var audioStream = await Ffmpeg.ProbeAsync(
            "-show_entries", "stream=codec_name,profile,sample_rate,channels", "-of", "csv=p=0", PackageChecks.FileOf(platform, package, audio));
        Assert.Equal("aac,LC,48000,2", audioStream.Trim());
        await AssertPreviewPlaysAsync(admin, id);
        await AssertOriginAnswersHeadAsync(admin, id, videos[0]);
    }

    [Fact]
    public async Task Master360p2997WithoutAudio_GetsOnlyRungsAtOrBelowItsHeightAndNoAudio()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("silent.mp4"), 640, 360, "30000/1001", 8, audioChannels: 0);
        using var admin = await platform.AdminAsync();

        var id = await admin.UploadAsync("Silent clip", master);
        var title = await admin.WaitForOutcomeAsync(id, Transcode);

        Assert.Equal("ready", title.Status());
        var package = PackageChecks.Read(platform, id, 1);
        var videos = package.Representations.Where(r => r.Kind == MediaKind.Video).ToList();
        Assert.Equal([360, 240], videos.Select(r => r.Height ?? 0));
        Assert.DoesNotContain(package.Representations, r => r.Kind == MediaKind.Audio);
        Assert.All(videos, r => Assert.Equal("30000/1001", r.FrameRate));
        var first = await PackageChecks.KeyframesAsync(PackageChecks.FileOf(platform, package, videos[0]));
        var second = await PackageChecks.KeyframesAsync(PackageChecks.FileOf(platform, package, videos[1]));
        Assert.Equal(2, first.Count);
        Assert.InRange(first[1], 3.96, 4.04);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("notes.txt", "FFmpeg can read")]
    [InlineData("truncated.mp4", "FFmpeg can read")]
    [InlineData("empty.mp4", "empty")]
    public async Task UnusableMaster_FailsTheTitleWithAReason(string fileName, string reason)
    {
        var path = _masters.Combine(fileName);
        switch (fileName)
        {
            case "notes.txt":
                await File.WriteAllTextAsync(path, "These are not the frames you are looking for.\n");
                break;
            case "truncated.mp4":
                var whole = await File.ReadAllBytesAsync(
                    await Ffmpeg.GenerateMasterAsync(_masters.Combine("whole.mp4"), 320, 240, "25", 4, audioChannels: 2));
                // The first 40 %: mdat cut short, and the moov (written last) missing.
                await File.WriteAllBytesAsync(path, whole[..(whole.Length * 4 / 10)]);
                break;
            default:
                await File.WriteAllBytesAsync(path, []);
                break;
        }
        using var admin = await platform.AdminAsync();

        var id = await admin.UploadAsync(fileName, path);
        var title = await admin.WaitForOutcomeAsync(id, Transcode);

        Assert.Equal("failed", title.Status());
        var failureReason = title.GetProperty("failureReason").GetString()!;
        Assert.Contains(reason, failureReason, StringComparison.OrdinalIgnoreCase);
        // A sentence for people: no server path, no raw ffprobe output (the worker's log keeps those).
        Assert.DoesNotContain(platform.Data.Path, failureReason, StringComparison.Ordinal);
        Assert.DoesNotContain("/", failureReason, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid data", failureReason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WorkerKilledMidEncode_TitleStillBecomesReady()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("long.mp4"), 1280, 720, "25", 40, audioChannels: 2);
        using var admin = await platform.AdminAsync();
        var id = await admin.UploadAsync("Long take", master);
        await Eventually.ValueAsync(() => admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/titles/{id}"),
            t => t.Status() == "transcoding" && t.GetProperty("progress").GetInt32() >= 5, "the title is transcoding, 5 % done",
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200), t => t.GetRawText());

        await platform.Worker!.KillAsync();
        Assert.Equal("transcoding", (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/titles/{id}")).Status());
        Assert.False(File.Exists(platform.Data.Combine("origin", "objects", "titles", id, "v1", PackageManifest.FileName)));
        await platform.StartWorkerAsync();
        var title = await admin.WaitForOutcomeAsync(id, Transcode);

        Assert.Equal("ready", title.Status());
        Assert.Equal(1, title.GetProperty("packageVersion").GetInt32());
        var package = PackageChecks.Read(platform, id, 1);
        foreach (var r in package.Representations.Where(r => r.Kind is MediaKind.Video or MediaKind.Audio))
        {
            PackageChecks.AssertLayout(PackageChecks.FileOf(platform, package, r), r);
        }
    }

    public void Dispose() => _masters.Dispose();

    /// <summary>The admin preview MPD is valid on-demand DASH, and ffmpeg plays it through the origin endpoint by byte ranges.</summary>
    private async Task AssertPreviewPlaysAsync(HttpClient admin, string id)
    {
        var mpd = XDocument.Parse(await admin.GetStringAsync($"/api/v1/titles/{id}/manifest.mpd"));
        Assert.Equal("urn:mpeg:dash:profile:isoff-on-demand:2011", mpd.Root!.Attribute("profiles")!.Value);
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter;
        await Ffmpeg.RunAsync("ffmpeg", ["-v", "error", "-headers", $"Authorization: Bearer {token}\r\n",
            "-i", new Uri(platform.BaseUrl, $"/api/v1/titles/{id}/manifest.mpd").AbsoluteUri, "-map", "0:v:0", "-map", "0:a:0", "-f", "null", "-"]);
        using var poster = await admin.GetAsync($"/api/v1/titles/{id}/poster.jpg");
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>HEAD on a rendition through origin-as-a-server: its size and type, no body.</summary>
    private async Task AssertOriginAnswersHeadAsync(HttpClient admin, string id, Representation rendition)
    {
        XNamespace dash = "urn:mpeg:dash:schema:mpd:2011";
        var mpd = XDocument.Parse(await admin.GetStringAsync($"/api/v1/titles/{id}/manifest.mpd"));
        var url = new Uri(new Uri(mpd.Root!.Element(dash + "BaseURL")!.Value), rendition.File);
        using var head = await platform.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(rendition.Size, head.Content.Headers.ContentLength);
        Assert.Equal("video/mp4", head.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<long> StableOffsetAsync(HttpClient admin, string upload)
    {
        long previous = -1;
        for (var i = 0; i < 50; i++)
        {
            try
            {
                var offset = await admin.OffsetAsync(upload);
                if (offset == previous)
                {
                    return offset;
                }
                previous = offset;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        return previous;
    }
}
