using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace OpenCdn.Platform.Storage;

/// <summary>S3 multipart uploads as <see cref="IMultipartObjectStore"/>: parts sent from any process, assembled once.</summary>
public sealed partial class S3ObjectStore
{
    public int PartSize => partSizeBytes;

    public async Task<long> PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ObjectKey.Validate(key);
        using var body = StreamOver(content);
        try
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = body,
                AutoCloseStream = false,
                UseChunkEncoding = false,
                MD5Digest = ContentMd5(content.Span),
            }, cancellationToken);
        }
        catch (AmazonS3Exception e)
        {
            throw Translate(e, key);
        }
        await VerifySizeAsync(key, content.Length, cancellationToken);
        return content.Length;
    }

    public async Task<string> StartMultipartAsync(string key, CancellationToken cancellationToken)
    {
        ObjectKey.Validate(key);
        try
        {
            var started = await s3.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, cancellationToken);
            return started.UploadId;
        }
        catch (AmazonS3Exception e)
        {
            throw Translate(e, key);
        }
    }

    public async Task<string?> PutPartAsync(
        string key, string uploadId, int partNumber, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ObjectKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partNumber, IMultipartObjectStore.MaxPartNumber);
        using var body = StreamOver(content);
        try
        {
            var part = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = partNumber,
                InputStream = body,
                PartSize = content.Length,
                UseChunkEncoding = false,
                MD5Digest = ContentMd5(content.Span),
            }, cancellationToken);
            return part.ETag;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
        {
            return null;
        }
        catch (AmazonS3Exception e)
        {
            throw Translate(e, key);
        }
    }

    public async Task<bool> CompleteMultipartAsync(
        string key, string uploadId, IReadOnlyList<StoredPart> parts, long expectedSize, CancellationToken cancellationToken)
    {
        ObjectKey.Validate(key);
        try
        {
            await CompletePartsAsync(key, uploadId, parts, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
        {
            return false;
        }
        catch (AmazonS3Exception e)
        {
            throw Translate(e, key);
        }
        await VerifySizeAsync(key, expectedSize, cancellationToken);
        return true;
    }

    public async Task AbortMultipartAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        ObjectKey.Validate(key);
        try
        {
            await s3.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload" || e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already aborted or completed.
        }
        catch (AmazonS3Exception e)
        {
            throw Translate(e, key);
        }
    }

    /// <summary>A read-only stream over the part's bytes, without copying them when they live in an array (the usual case).</summary>
    private static MemoryStream StreamOver(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    private Task<CompleteMultipartUploadResponse> CompletePartsAsync(
        string key, string uploadId, IReadOnlyList<StoredPart> parts, CancellationToken cancellationToken) =>
        s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = parts.Select(p => new PartETag(p.Number, p.ETag)).ToList(),
        }, cancellationToken);
}
