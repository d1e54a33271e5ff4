using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace OpenCdn.Platform.Storage;

/// <summary>
/// Origin storage in an S3 bucket. Puts stream through one pooled part buffer (multipart above one part), each
/// request carries Content-MD5 and the stored size is checked afterwards, so a store that mangles bodies is caught.
/// Multipart uploads that outlive one request (resumable master uploads) are in S3ObjectStore.Multipart.cs.
/// </summary>
public sealed partial class S3ObjectStore(IAmazonS3 s3, string bucket, int partSizeBytes, TimeProvider time) : IMultipartObjectStore
{
    public async Task<StoredObject> PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ObjectKey.Validate(key);
        var buffer = ArrayPool<byte>.Shared.Rent(partSizeBytes);
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var first = await content.ReadAtLeastAsync(
                buffer.AsMemory(0, partSizeBytes), partSizeBytes, throwOnEndOfStream: false, cancellationToken);
            sha.AppendData(buffer, 0, first);
            var size = first < partSizeBytes
                ? await PutSingleAsync(key, buffer, first, cancellationToken)
                : await PutMultipartAsync(key, content, buffer, first, sha, cancellationToken);
            await VerifySizeAsync(key, size, cancellationToken);
            return new StoredObject(key, size, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch (AmazonS3Exception e)
        {
            throw Translate(e, key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken cancellationToken)
    {
        ObjectKey.Validate(key);
        var request = new GetObjectRequest { BucketName = bucket, Key = key };
        if (range is { } r)
        {
            request.ByteRange = new Amazon.S3.Model.ByteRange($"bytes={r.From}-{r.To}");
        }
        try
        {
            var response = await s3.GetObjectAsync(request, cancellationToken);
            var served = ContentRange.Parse(response.ContentRange);
            var size = served?.Size ?? response.ContentLength;
            var info = new ObjectInfo(key, size, response.ETag, response.LastModified ?? time.GetUtcNow());
            var wanted = range?.ClampTo(size);
            if (wanted is null)
            {
                return new ObjectContent(info, response.ResponseStream, null);
            }
            if (served is null || served.Value.From != wanted.Value.From || served.Value.To < wanted.Value.To)
            {
                response.Dispose();
                throw new ObjectStoreException(
                    $"S3 answered range {response.ContentRange} for bytes={wanted.Value.From}-{wanted.Value.To} of '{key}'.");
            }
            // Some S3-compatible servers (s3rver) read "bytes=0-0" as "bytes=0-": never hand out more than was asked for.
            return new ObjectContent(info, new RangeReadStream(response.ResponseStream, wanted.Value.Length), wanted);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            throw new ArgumentOutOfRangeException(nameof(range), $"Range {range?.From}-{range?.To} is outside '{key}'.");
        }
        catch (AmazonS3Exception e)
        {
            throw Translate(e, key);
        }
    }

    public async Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        ObjectKey.Validate(key);
        try
        {
            var response = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            return new ObjectInfo(key, response.ContentLength, response.ETag, response.LastModified ?? time.GetUtcNow());
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (AmazonS3Exception e)
        {
            throw Translate(e, key);
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKey.ValidatePrefix(prefix);
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        do
        {
            ListObjectsV2Response response;
            try
            {
                response = await s3.ListObjectsV2Async(request, cancellationToken);
            }
            catch (AmazonS3Exception e)
            {
                throw Translate(e, prefix);
            }
            foreach (var o in response.S3Objects ?? [])
            {
                yield return new ObjectInfo(o.Key, o.Size ?? 0, o.ETag, o.LastModified ?? time.GetUtcNow());
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        ObjectKey.Validate(key);
        try
        {
            await s3.DeleteObjectAsync(bucket, key, cancellationToken);
        }
        catch (AmazonS3Exception e)
        {
            throw Translate(e, key);
        }
    }

    public Uri GetDownloadUrl(string key, TimeSpan lifetime)
    {
        ObjectKey.Validate(key);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = time.GetUtcNow().Add(lifetime).UtcDateTime,
            Protocol = s3.Config.ServiceURL?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        };
        return new Uri(s3.GetPreSignedURL(request));
    }

    private async Task<long> PutSingleAsync(string key, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, count, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = body,
            AutoCloseStream = false,
            UseChunkEncoding = false,
            MD5Digest = ContentMd5(buffer.AsSpan(0, count)),
        }, cancellationToken);
        return count;
    }

    private async Task<long> PutMultipartAsync(
        string key, Stream content, byte[] buffer, int first, IncrementalHash sha, CancellationToken cancellationToken)
    {
        var uploadId = await StartMultipartAsync(key, cancellationToken);
        try
        {
            var parts = new List<StoredPart>();
            long size = 0;
            for (var count = first; count > 0; count = await ReadPartAsync(content, buffer, sha, cancellationToken))
            {
                var etag = await PutPartAsync(key, uploadId, parts.Count + 1, buffer.AsMemory(0, count), cancellationToken)
                    ?? throw new ObjectStoreException($"S3 lost the multipart upload of '{key}' while it was being written.");
                parts.Add(new StoredPart(parts.Count + 1, etag));
                size += count;
            }
            await CompletePartsAsync(key, uploadId, parts, cancellationToken);
            return size;
        }
        catch
        {
            await AbortMultipartAsync(key, uploadId, CancellationToken.None);
            throw;
        }
    }

    private async Task<int> ReadPartAsync(Stream content, byte[] buffer, IncrementalHash sha, CancellationToken cancellationToken)
    {
        var count = await content.ReadAtLeastAsync(buffer.AsMemory(0, partSizeBytes), partSizeBytes, throwOnEndOfStream: false, cancellationToken);
        sha.AppendData(buffer, 0, count);
        return count;
    }

    private async Task VerifySizeAsync(string key, long expected, CancellationToken cancellationToken)
    {
        var stored = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
        if (stored.ContentLength != expected)
        {
            throw new ObjectStoreException(
                $"S3 stored {stored.ContentLength} bytes for '{key}' in bucket '{bucket}' but {expected} were sent; " +
                "the endpoint may not understand aws-chunked bodies.");
        }
    }

#pragma warning disable CA5351 // Content-MD5 is S3's integrity check on the wire, not a security measure.
    private static string ContentMd5(ReadOnlySpan<byte> body) => Convert.ToBase64String(MD5.HashData(body));
#pragma warning restore CA5351

    private ObjectStoreException Translate(AmazonS3Exception e, string key) => e.ErrorCode switch
    {
        "NoSuchBucket" => new ObjectStoreException(
            $"S3 bucket '{bucket}' does not exist at {s3.Config.ServiceURL ?? s3.Config.RegionEndpoint?.SystemName}.", e),
        "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" => new ObjectStoreException(
            $"S3 refused access to '{key}' in bucket '{bucket}' ({e.ErrorCode}): check the credentials.", e),
        "BadDigest" or "InvalidDigest" => new ObjectStoreException(
            $"S3 rejected '{key}': the body it received does not match its MD5 ({e.ErrorCode}).", e),
        _ => new ObjectStoreException($"S3 failed on '{key}' in bucket '{bucket}': {e.ErrorCode} {e.Message}", e),
    };
}
