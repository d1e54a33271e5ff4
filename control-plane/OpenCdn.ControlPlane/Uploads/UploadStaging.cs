using Microsoft.Extensions.Options;
using OpenCdn.Platform;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>Where the bytes of unfinished uploads wait: one file per upload, its length is the upload's offset.</summary>
internal sealed class UploadStaging
{
    private readonly string _folder;

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
}
