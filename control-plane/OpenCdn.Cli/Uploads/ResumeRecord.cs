namespace OpenCdn.Cli.Uploads;

/// <summary>
/// What lets the next <c>opencdn upload</c> of the same file continue: the file as it was (path, size, modification
/// time) and where its bytes go (the title, and the tus upload once created).
/// </summary>
internal sealed record ResumeRecord(Uri Server, string Path, long Size, DateTime LastWriteUtc, string TitleId, Uri? Upload);
