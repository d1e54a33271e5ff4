using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using OpenCdn.Contracts;
using OpenCdn.Contracts.Edges;
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
        foreach (var r in package.Files())
        {
            var bytes = await ReadAsync(s3, $"titles/{id}/v1/{r.Name}");
            Assert.Equal(r.Size, bytes.Length);
            Assert.Equal(r.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        Assert.Empty(
            Directory.Exists(cloud.Platform.Data.Combine("origin"))
                ? Directory.EnumerateFiles(cloud.Platform.Data.Combine("origin"), "*", SearchOption.AllDirectories)
                : []);
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter;
        await Ffmpeg.RunAsync("ffmpeg", ["-v", "error", "-headers", $"Authorization: Bearer {token}\r\n",
            "-i", new Uri(cloud.Platform.BaseUrl, $"/api/v1/titles/{id}/manifest.mpd").AbsoluteUri, "-map", "0:v:0", "-map", "0:a:0",
            "-f", "null", "-"]);
    }

    [Fact]
    public async Task FillPlans_InCloudMode_HandEdgesPresignedS3UrlsThatServeTheVerifiedFiles()
    {
        var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("fill.mp4"), 640, 360, "25", 4, audioChannels: 2);
        using var admin = await cloud.Platform.AdminAsync();
        var id = await admin.UploadAsync("Cloud fill", master);
        Assert.Equal("ready", (await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(3))).Status());
        using var created = await admin.PostAsJsonAsync("/api/v1/edges/bootstrap-tokens", new { uses = 1 });
        var bootstrap = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var enrol = cloud.Platform.Authorized(bootstrap);
        using var registered = await enrol.PostAsJsonAsync(
            "/api/v1/edges/register", new RegisterEdgeRequest("cloud-edge", new Uri("http://127.0.0.5:8080/"),
            EdgeSiteKind.IX, null, null, 50.1, 8.7, [], 1L << 40, 10_000_000_000, FillWindow.Default, 0), ContractJson.Options);
        var credential = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credential").GetString()!;
        var edgeId = credential.Split('.')[0];
        using var edge = cloud.Platform.Authorized(credential);

        var plan = await Eventually.ValueAsync(() => edge.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{edgeId}/fill-plan"),
            plan => plan.GetProperty("items").EnumerateArray().Any(t => t.GetProperty("titleId").GetString() == id),
            "the edge's fill plan lists the title (it follows the catalog within a sync pass)", TimeSpan.FromSeconds(20),
            TimeSpan.FromMilliseconds(200),
            plan => plan.GetRawText());
        var item = plan.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("titleId").GetString() == id);
        var urls = item.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "origin").GetProperty("fileUrls");
        using var anonymous = new HttpClient();
        foreach (var file in item.GetProperty("files").EnumerateArray())
        {
            var url = new Uri(urls.GetProperty(file.GetProperty("name").GetString()!).GetString()!);
            var bytes = await anonymous.GetByteArrayAsync(url);
            Assert.Contains("Signature=", url.Query, StringComparison.Ordinal); // presigned: the edge holds no AWS credentials
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
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
