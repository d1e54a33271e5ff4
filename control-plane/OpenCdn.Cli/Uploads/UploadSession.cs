using OpenCdn.Cli.Api;
using OpenCdn.Contracts.Api;

namespace OpenCdn.Cli.Uploads;

/// <summary>
/// Decides where an upload of a file starts: the upload its resume record names, at the server's offset; a new upload
/// for the same title when that one is gone; or a new title when there is no record (or its title was deleted).
/// </summary>
internal sealed class UploadSession(ApiClient api, TusClient tus, ResumeStore resumes)
{
    public async Task<UploadTarget> OpenAsync(FileInfo file, string name, Action<string> report, CancellationToken cancellationToken)
    {
        var record = await resumes.FindAsync(api.Server, file, cancellationToken);
        if (record is null)
        {
            return await CreateTitleAsync(file, name, report, cancellationToken);
        }
        if (record.Upload is { } upload && await tus.OffsetAsync(upload, cancellationToken) is { } offset)
        {
            report($"Resuming title {record.TitleId} at byte {offset} of {file.Length} ({ByteSize.Format(file.Length - offset)} to go).");
            return new UploadTarget(record.TitleId, upload, offset);
        }
        var title = await api.FindTitleAsync(record.TitleId, cancellationToken);
        if (title is null)
        {
            report($"Title {record.TitleId}, which this file was uploading to, is gone; creating a new title.");
            resumes.Forget(api.Server, file);
            return await CreateTitleAsync(file, name, report, cancellationToken);
        }
        if (record.Upload is { } finished && title.HasMaster)
        {
            // The last bytes arrived but their answer did not (the upload is forgotten once complete).
            report($"The server already holds all of {file.Name} for title {title.Id}.");
            return new UploadTarget(title.Id, finished, file.Length);
        }
        if (record.Upload is not null)
        {
            report($"The earlier upload to title {title.Id} expired or was cancelled; starting again from byte 0.");
        }
        return await StartUploadAsync(file, title, report, cancellationToken);
    }

    private async Task<UploadTarget> CreateTitleAsync(FileInfo file, string name, Action<string> report, CancellationToken cancellationToken)
    {
        var title = await api.CreateTitleAsync(name, cancellationToken);
        report($"Created title {title.Id} ({title.Name}).");
        // Recorded before the upload exists, so a run stopped right here does not leave a second title behind.
        await resumes.SaveAsync(ResumeStore.For(api.Server, file, title.Id, null), cancellationToken);
        return await StartUploadAsync(file, title, report, cancellationToken);
    }

    private async Task<UploadTarget> StartUploadAsync(FileInfo file, TitleView title, Action<string> report, CancellationToken cancellationToken)
    {
        var upload = await tus.CreateAsync(new Uri(api.Server, title.UploadUrl), file.Length, file.Name, cancellationToken);
        await resumes.SaveAsync(ResumeStore.For(api.Server, file, title.Id, upload), cancellationToken);
        report($"Uploading {file.Name} ({ByteSize.Format(file.Length)}) to title {title.Id}.");
        return new UploadTarget(title.Id, upload, 0);
    }
}
