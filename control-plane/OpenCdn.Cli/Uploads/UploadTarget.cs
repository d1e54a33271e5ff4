namespace OpenCdn.Cli.Uploads;

/// <summary>Where a file's bytes go (a title's tus upload) and how many of them the server already holds.</summary>
internal sealed record UploadTarget(string TitleId, Uri Upload, long Offset);
