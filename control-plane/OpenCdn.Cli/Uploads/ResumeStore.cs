using System.Security.Cryptography;
using System.Text;
using OpenCdn.Cli.Api;
using OpenCdn.Cli.Config;

namespace OpenCdn.Cli.Uploads;

/// <summary>
/// Resume records, one small file each under <c>uploads/</c> in the config folder, named by a hash of the server and
/// the file's path, size and modification time: a changed file does not resume into the old upload.
/// </summary>
internal sealed class ResumeStore(ConfigFolder folder)
{
    private const string Folder = "uploads";

    public async Task<ResumeRecord?> FindAsync(Uri server, FileInfo file, CancellationToken cancellationToken)
    {
        var record = await folder.ReadAsync(NameOf(server, file), CliJson.Default.ResumeRecord, cancellationToken);
        return record is not null && Matches(record, server, file) ? record : null;
    }

    public Task SaveAsync(ResumeRecord record, CancellationToken cancellationToken) =>
        folder.WriteAsync(
            NameOf(record.Server, record.Path, record.Size, record.LastWriteUtc), record, CliJson.Default.ResumeRecord, cancellationToken);

    public void Forget(Uri server, FileInfo file) => folder.Delete(NameOf(server, file));

    public static ResumeRecord For(Uri server, FileInfo file, string titleId, Uri? upload) =>
        new(server, file.FullName, file.Length, file.LastWriteTimeUtc, titleId, upload);

    private static bool Matches(ResumeRecord record, Uri server, FileInfo file) =>
        record.Server == server && record.Path == file.FullName && record.Size == file.Length && record.LastWriteUtc == file.LastWriteTimeUtc;

    private static string NameOf(Uri server, FileInfo file) => NameOf(server, file.FullName, file.Length, file.LastWriteTimeUtc);

    private static string NameOf(Uri server, string path, long size, DateTime lastWriteUtc)
    {
        var identity = $"{server.AbsoluteUri}\n{path}\n{size}\n{lastWriteUtc.Ticks}";
        return Path.Combine(Folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32] + ".json");
    }
}
