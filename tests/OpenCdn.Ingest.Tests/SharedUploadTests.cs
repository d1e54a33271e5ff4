using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// Cloud mode keeps no upload state on an instance's disk: the PATCHes of one tus upload may go to any control-plane
/// instance, and an instance may die between (or during) them. Two real instances on one PostgreSQL and one s3rver.
/// </summary>
public sealed class SharedUploadTests(TwoControlPlanes cloud) : IClassFixture<TwoControlPlanes>
{
    private const int MiB = 1 << 20;

    [Fact]
    public async Task Upload_AlternatingInstancesThenOneKilledMidPatch_CompletesOnTheSurvivorWithTheExactMaster()
    {
        var master = new byte[100 * MiB];
        new Random(14).NextBytes(master);
        var a = cloud.A.Admin;
        var id = await a.CreateTitleAsync("Shared upload");
        var upload = await a.CreateUploadAsync(id, master.Length, "shared.bin");
        long offset = 0;

        // Chunks that never line up with the 8 MiB parts, alternating between the instances, half the master.
        int[] chunks = [3 * MiB + 17, 9 * MiB + 1, 1234, 11 * MiB - 5, 5 * MiB, 8 * MiB, 13 * MiB + 999];
        for (var i = 0; offset < 50 * MiB; i++)
        {
            var client = i % 2 == 0 ? cloud.A.Admin : cloud.B.Admin;
            offset = await PatchAsync(client, upload, master, offset, chunks[i % chunks.Length]);
            Assert.Equal(offset, await cloud.A.Admin.OffsetAsync(upload));
            Assert.Equal(offset, await cloud.B.Admin.OffsetAsync(upload));
        }

        // B dies (kill -9) in the middle of a PATCH, after it took at least one whole part of it.
        var before = offset;
        var gate = new TaskCompletionSource();
        var dying = cloud.B.Admin.PatchAsync(upload, offset, new GatedContent(master[(int)offset..(int)(offset + 30 * MiB)], 20 * MiB, gate.Task));
        await Eventually.TrueAsync(async () => await a.OffsetAsync(upload) > before + 8 * MiB,
            "instance B committed a part of the PATCH it is receiving", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        await cloud.B.Process.KillAsync();
        gate.SetResult();
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () => (await dying).Dispose());

        // The survivor knows what B kept, and takes the rest.
        offset = await a.OffsetAsync(upload);
        Assert.InRange(offset, before + 8 * MiB, before + 20 * MiB);
        while (offset < master.Length)
        {
            offset = await PatchAsync(a, upload, master, offset, 7 * MiB + 3);
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(master)), await MasterSha256Async($"masters/{id}/shared.bin"));
        Assert.False(Directory.Exists(cloud.A.Data.Combine("uploads")), "instance A staged upload bytes on its own disk");
        Assert.False(Directory.Exists(cloud.B.Data.Combine("uploads")), "instance B staged upload bytes on its own disk");
        using var s3 = cloud.S3.CreateClient();
        var left = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Emulator.Bucket, Prefix = "uploads/" });
        Assert.Empty(left.S3Objects ?? []); // no tail object outlives the upload
        await cloud.RestartBAsync();
    }

    [Fact]
    public async Task Head_OnEitherInstance_GivesTheSameOffset_AndAWrongOffsetIs409OnEither()
    {
        var id = await cloud.A.Admin.CreateTitleAsync("Offsets across instances");
        var upload = await cloud.A.Admin.CreateUploadAsync(id, 20 * MiB, "a.bin");
        var bytes = RandomNumberGenerator.GetBytes(20 * MiB);
        Assert.Equal(9 * MiB + 5, await PatchAsync(cloud.B.Admin, upload, bytes, 0, 9 * MiB + 5));

        using var stale = await cloud.A.Admin.PatchAsync(upload, 0, new ByteArrayContent(bytes, 0, 1000));
        using var ahead = await cloud.B.Admin.PatchAsync(upload, 10 * MiB, new ByteArrayContent(bytes, 10 * MiB, 1000));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, ahead.StatusCode);
        Assert.Equal(9 * MiB + 5, await cloud.A.Admin.OffsetAsync(upload));
        Assert.Equal(9 * MiB + 5, await cloud.B.Admin.OffsetAsync(upload));
    }

    [Fact]
    public async Task RacingPatchesOfOneUpload_OnTwoInstances_NeverMixTheirBytes()
    {
        var id = await cloud.A.Admin.CreateTitleAsync("Racing instances");
        var upload = await cloud.A.Admin.CreateUploadAsync(id, 20 * MiB, "race.bin");
        var first = RandomNumberGenerator.GetBytes(20 * MiB);
        var second = RandomNumberGenerator.GetBytes(20 * MiB);

        // Both PATCHes start at 0 with different bytes; whatever interleaving, the catalog lets one writer move the offset.
        var racing = await Task.WhenAll(
            cloud.A.Admin.PatchAsync(upload, 0, new ByteArrayContent(first)), cloud.B.Admin.PatchAsync(upload, 0, new ByteArrayContent(second)));
        var statuses = racing.Select(r => r.StatusCode).Order().ToList();
        foreach (var response in racing)
        {
            response.Dispose();
        }

        Assert.Contains(HttpStatusCode.NoContent, statuses);
        Assert.Contains(HttpStatusCode.Conflict, statuses);
        var stored = await MasterSha256Async($"masters/{id}/race.bin");
        Assert.Contains(stored, new[] { first, second }.Select(b => Convert.ToHexStringLower(SHA256.HashData(b))));
    }

    [Fact]
    public async Task ExpiredUpload_AbortsItsMultipartUploadAndDeletesItsTail()
    {
        var id = await cloud.A.Admin.CreateTitleAsync("Abandoned in the cloud");
        var upload = await cloud.A.Admin.CreateUploadAsync(id, 30 * MiB, "gone.bin");
        var uploadId = upload.Split('/')[^1];
        Assert.Equal(9 * MiB, await PatchAsync(cloud.B.Admin, upload, RandomNumberGenerator.GetBytes(30 * MiB), 0, 9 * MiB));
        var multipartId = await cloud.QueryAsync<string>("SELECT multipart_id FROM upload_multiparts WHERE upload_id = @uploadId", new { uploadId });
        Assert.NotNull(multipartId);
        using var s3 = cloud.S3.CreateClient();
        var parts = await s3.ListPartsAsync(
            new ListPartsRequest { BucketName = S3Emulator.Bucket, Key = $"masters/{id}/gone.bin", UploadId = multipartId });
        Assert.Equal([8L * MiB], (parts.Parts ?? []).Select(p => p.Size ?? 0));
        Assert.Single((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Emulator.Bucket, Prefix = $"uploads/{uploadId}/" }))
            .S3Objects ?? []);

        // The fixture expires uploads after 30 s without activity and sweeps every second.
        await Eventually.TrueAsync(async () =>
        {
            using var head = await cloud.A.Admin.SendAsync(Head(upload));
            return head.StatusCode == HttpStatusCode.NotFound;
        }, "the upload expired", TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
        await Eventually.TrueAsync(
            async () => await cloud.QueryAsync<long>("SELECT COUNT(*) FROM upload_multiparts WHERE upload_id = @uploadId", new { uploadId }) == 0,
            "the sweeper discarded the multipart state");

        var aborted = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListPartsAsync(
            new ListPartsRequest { BucketName = S3Emulator.Bucket, Key = $"masters/{id}/gone.bin", UploadId = multipartId }));
        Assert.Equal("NoSuchUpload", aborted.ErrorCode);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Emulator.Bucket, Prefix = $"uploads/{uploadId}/" }))
            .S3Objects ?? []);
        Assert.Equal(0, await cloud.QueryAsync<long>("SELECT COUNT(*) FROM upload_multipart_parts WHERE upload_id = @uploadId", new { uploadId }));
    }

    /// <summary>
    /// PATCHes <paramref name="count"/> bytes of the master from <paramref name="offset"/> (fewer at its end); returns the new offset.
    /// </summary>
    private static async Task<long> PatchAsync(HttpClient client, string upload, byte[] master, long offset, int count)
    {
        var length = (int)Math.Min(count, master.Length - offset);
        using var response = await client.PatchAsync(upload, offset, new ByteArrayContent(master, (int)offset, length));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var next = long.Parse(response.Headers.GetValues("Upload-Offset").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(offset + length, next); // every byte sent is kept, even off a part boundary
        return next;
    }

    private static HttpRequestMessage Head(string upload)
    {
        var request = new HttpRequestMessage(HttpMethod.Head, upload);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    private async Task<string> MasterSha256Async(string key)
    {
        using var s3 = cloud.S3.CreateClient();
        using var response = await s3.GetObjectAsync(S3Emulator.Bucket, key);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[MiB];
        int read;
        while ((read = await response.ResponseStream.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
