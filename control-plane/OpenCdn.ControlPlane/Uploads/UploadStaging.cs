using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenCdn.Platform;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>Where the bytes of unfinished uploads wait: one file per upload, its length is the upload's offset.</summary>
internal sealed class UploadStaging
{
    private readonly string _folder;
    private readonly ConcurrentDictionary<string, byte> _writers = new();

    public UploadStaging(IOptions<UploadOptions> upload, IOptions<PlatformOptions> platform)
    {
        _folder = upload.Value.StagingFolder ?? Path.Combine(platform.Value.DataFolder, "uploads");
        Directory.CreateDirectory(_folder);
    }

    /// <summary>Upload ids are hex made by the catalog; anything else never reaches the disk.</summary>
    public string PathOf(string uploadId) =>
        uploadId.All(char.IsAsciiHexDigitLower) && uploadId.Length is > 0 and <= 64
            ? Path.Combine(_folder, uploadId + ".part")
            : throw new ArgumentException("Not an upload id.", nameof(uploadId));

    public long OffsetOf(string uploadId)
    {
        var file = new FileInfo(PathOf(uploadId));
        return file.Exists ? file.Length : 0;
    }

    public void Delete(string uploadId) => File.Delete(PathOf(uploadId));

    /// <summary>
    /// Claims the upload for one writer; null when another request is writing it. Dispose to release. (Staging is
    /// local to this instance, so an in-process claim is enough.)
    /// </summary>
    public IDisposable? TryClaim(string uploadId) => _writers.TryAdd(uploadId, 0) ? new Claim(_writers, uploadId) : null;

    /// <summary>True while a PATCH is writing the upload.</summary>
    public bool IsBeingWritten(string uploadId) => _writers.ContainsKey(uploadId);

    private sealed class Claim(ConcurrentDictionary<string, byte> writers, string uploadId) : IDisposable
    {
        public void Dispose() => writers.TryRemove(uploadId, out _);
    }
}
