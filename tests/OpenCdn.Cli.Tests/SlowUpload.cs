using OpenCdn.Testing;

namespace OpenCdn.Cli.Tests;

/// <summary>An <c>opencdn upload</c> still running, slowed down, after the server received part of the master.</summary>
public sealed record SlowUpload(ChildProcess Process, string TitleId, string UploadUrl);
