namespace OpenCdn.Cli.Uploads;

/// <summary>How a tus PATCH ended: <see cref="Accepted"/> with the server's new offset, or a state the sender recovers from.</summary>
internal enum PatchResult
{
    /// <summary>204: the bytes were taken; the new offset is known.</summary>
    Accepted,

    /// <summary>409: the offset we sent is not the server's; HEAD for it.</summary>
    OffsetMismatch,

    /// <summary>404 or 410: the upload finished, expired or was cancelled.</summary>
    Gone,
}
