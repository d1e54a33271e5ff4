using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using OpenCdn.Contracts.Packages;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>The same upload-to-package journey in cloud mode: PostgreSQL catalog, S3 origin, SQS jobs.</summary>
public sealed class CloudModeTests(CloudPlatform cloud) : IClassFixture<CloudPlatform>, IDisposable
{
    private readonly TempFolder _masters = new();

    [Fact]
    public async Task Upload_OnS3SqsAndPostgres_BecomesAPackageInTheBucketThatPlays()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("cloud.mp4"), 854, 480, "25", 8, audioChannels: 2);
        using var admin = await cloud.Platform.AdminAsync();

        var id = await admin.UploadAsync("Cloud title", master);
        var title = await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(3));

        Assert.Equal("ready", title.Status());
        using var s3 = cloud.S3.CreateClient();
        var package = JsonSerializer.Deserialize<PackageManifest>(await ReadAsync(s3, $"titles/{id}/v1/package.json"), PackageJson.Options)!;
        Assert.Equal([480, 360, 240], package.Representations.Where(r => r.Kind == MediaKind.Video).Select(r => r.Height!.Value));
        foreach (var r in package.Representations)
        {
            var bytes = await ReadAsync(s3, $"titles/{id}/v1/{r.File}");
            Assert.Equal(r.Size, bytes.Length);
            Assert.Equal(r.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        Assert.Empty(Directory.Exists(cloud.Platform.Data.Combine("origin")) ? Directory.EnumerateFiles(cloud.Platform.Data.Combine("origin"), "*", SearchOption.AllDirectories) : []);
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter;
        await Ffmpeg.RunAsync("ffmpeg", ["-v", "error", "-headers", $"Authorization: Bearer {token}\r\n",
            "-i", new Uri(cloud.Platform.BaseUrl, $"/api/v1/titles/{id}/manifest.mpd").AbsoluteUri, "-map", "0:v:0", "-map", "0:a:0", "-f", "null", "-"]);
    }

    public void Dispose() => _masters.Dispose();

    private static async Task<byte[]> ReadAsync(AmazonS3Client s3, string key)
    {
        using var response = await s3.GetObjectAsync(S3Emulator.Bucket, key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
