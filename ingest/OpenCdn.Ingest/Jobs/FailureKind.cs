namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Why a title failed, as the catalog shows it to people: a fixed sentence per kind, never a path or a tool's raw
/// output (those go to the log).
/// </summary>
internal enum FailureKind
{
    EmptyMaster,
    NotMedia,
    NoVideo,
    ZeroDuration,
    NoPictureSize,
    MasterMissing,
    EncodeFailed,
    RepeatedErrors,
    WorkerDied,
}

internal static class FailureReasons
{
    public static string For(FailureKind kind) => kind switch
    {
        FailureKind.EmptyMaster => "The uploaded master is empty (0 bytes).",
        FailureKind.NotMedia => "The file is not a video FFmpeg can read (an unknown format, or a truncated or damaged file).",
        FailureKind.NoVideo => "The master has no video stream.",
        FailureKind.ZeroDuration => "The master has zero duration.",
        FailureKind.NoPictureSize => "The master's video stream has no picture size; it cannot be decoded.",
        FailureKind.MasterMissing => "The master is missing from storage; upload it again.",
        FailureKind.EncodeFailed => "FFmpeg could not encode the master; the ingest worker's log has FFmpeg's output.",
        FailureKind.RepeatedErrors => "Transcoding failed on every attempt because of an internal error; the ingest worker's log has the details.",
        FailureKind.WorkerDied =>
            "Transcoding never finished: the ingest worker stopped during every attempt (killed, out of memory, or its machine went away).",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
