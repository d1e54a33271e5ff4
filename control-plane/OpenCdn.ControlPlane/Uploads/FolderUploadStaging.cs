using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Uploads;
using OpenCdn.Platform;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>
/// Embedded mode's staging: one file per upload in a folder of this instance, its length is the upload's offset. The
/// finished file streams into origin. One writer per upload at a time, claimed in process (the folder is local).
/// </summary>
internal sealed class FolderUploadStaging : IUploadStaging
{
    private const int CopyBufferSize = 256 * 1024;
    private readonly string _folder;
    private readonly IObjectStore _origin;
    private readonly ConcurrentDictionary<string, byte> _writers = new();

    public FolderUploadStaging(IObjectStore origin, IOptions<UploadOptions> upload, IOptions<PlatformOptions> platform)
    {
        _origin = origin;
        _folder = upload.Value.StagingFolder ?? Path.Combine(platform.Value.DataFolder, "uploads");
        Directory.CreateDirectory(_folder);
    }

    public Task<long> OffsetAsync(Upload upload, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(upload.Id));
        return Task.FromResult(file.Exists ? file.Length : 0);
    }

    public async Task<AppendResult> AppendAsync(Upload upload, long offset, Stream body, CancellationToken clientGone)
    {
        if (!_writers.TryAdd(upload.Id, 0))
        {
            return new AppendResult(AppendOutcome.Busy, offset);
        }
        try
        {
            await using var file = new FileStream(
                PathOf(upload.Id), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
            if (offset != file.Length)
            {
                return new AppendResult(AppendOutcome.OffsetMismatch, file.Length);
            }
            file.Seek(0, SeekOrigin.End);
            var gone = await CopyBodyAsync(body, file, upload.Length - offset, clientGone);
            return new AppendResult(gone ? AppendOutcome.ClientGone : AppendOutcome.Appended, file.Length);
        }
        finally
        {
            _writers.TryRemove(upload.Id, out _);
        }
    }

    public async Task<long?> StoreMasterAsync(Upload upload, string masterKey, CancellationToken cancellationToken)
    {
        if (upload.Length == 0)
        {
            return (await _origin.PutAsync(masterKey, Stream.Null, cancellationToken)).Size;
        }
        FileStream master;
        try
        {
            master = new FileStream(
                PathOf(upload.Id), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return null; // cancelled a moment ago
        }
        await using (master)
        {
            return (await _origin.PutAsync(masterKey, master, cancellationToken)).Size;
        }
    }

    public Task DiscardAsync(string uploadId, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(uploadId));
        return Task.CompletedTask;
    }

    public bool IsBeingWritten(string uploadId) => _writers.ContainsKey(uploadId);

    public Task SweepOrphansAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Upload ids are hex made by the catalog; anything else never reaches the disk.</summary>
    private string PathOf(string uploadId) =>
        uploadId.All(char.IsAsciiHexDigitLower) && uploadId.Length is > 0 and <= 64
            ? Path.Combine(_folder, uploadId + ".part")
            : throw new ArgumentException("Not an upload id.", nameof(uploadId));

    /// <summary>Copies the body, but never more than <paramref name="remaining"/> bytes; true when the client went away mid-body.</summary>
    private static async Task<bool> CopyBodyAsync(Stream body, FileStream file, long remaining, CancellationToken clientGone)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int read;
            while (remaining > 0 && (read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), clientGone)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
                remaining -= read;
            }
            return false;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && clientGone.IsCancellationRequested)
        {
            return true;
        }
        finally
        {
            await file.FlushAsync(CancellationToken.None);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
