using Amazon.S3;
using OpenCdn.Platform.Storage;
using OpenCdn.Testing;

namespace OpenCdn.Platform.Tests.Storage;

/// <summary>The store contract against s3rver over the real S3 wire protocol, with 5 MiB parts so multipart is exercised.</summary>
public sealed class S3ObjectStoreTests(S3Emulator s3) : ObjectStoreContract, IClassFixture<S3Emulator>
{
    private const int PartSize = 5 << 20;
    private readonly AmazonS3Client _client = s3.CreateClient();

    protected override IObjectStore Store => new S3ObjectStore(_client, S3Emulator.Bucket, PartSize, TimeProvider.System);

    protected override int LargeObjectSize => PartSize;

    protected override Task<HttpResponseMessage> DownloadAsync(Uri url) => new HttpClient().GetAsync(url);

    [Fact]
    public async Task MissingBucket_IsReportedByName()
    {
        var store = new S3ObjectStore(_client, "no-such-bucket", PartSize, TimeProvider.System);

        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => store.PutAsync("a", new MemoryStream([1]), default));

        Assert.Contains("'no-such-bucket' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCredentials_AreReportedAsSuch()
    {
        var store = new S3ObjectStore(s3.CreateClient(accessKey: "WRONG"), S3Emulator.Bucket, PartSize, TimeProvider.System);

        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => store.PutAsync("a", new MemoryStream([1]), default));

        Assert.Contains("check the credentials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DownloadUrl_IsPresignedForThePlainHttpEndpoint()
    {
        var url = Store.GetDownloadUrl("titles/x/v1/a.mp4", TimeSpan.FromMinutes(10));

        Assert.Equal(s3.ServiceUrl.Authority, url.Authority);
        Assert.Equal("http", url.Scheme);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        // The SDK counts the lifetime from its own clock at signing: a second either way.
        var expires = int.Parse(
            System.Web.HttpUtility.ParseQueryString(url.Query)["X-Amz-Expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, 599, 601);
    }
}
