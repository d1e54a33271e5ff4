namespace OpenCdn.Edge.Serving;

/// <summary>
/// How sending a response body ended, on the direct path (<see cref="Direct.SocketFileSender"/>) and on Kestrel's
/// (<see cref="FileBody"/>). Only <see cref="Sent"/> leaves the connection usable: after any other outcome the response
/// is shorter than its headers promised, and the connection is ended so the client cannot mistake it for a whole one.
/// The client's outcomes are expected on a CDN; the file's are faults an operator must see (<see cref="IsFileFault"/>).
/// </summary>
internal enum SendOutcome
{
    Sent,

    /// <summary>The client closed or reset the connection, or the server is stopping.</summary>
    ClientGone,

    /// <summary>The client took too little of the response within the send timeout, and was disconnected.</summary>
    Stalled,

    /// <summary>The catalog closed the file (evicted, quarantined, replaced) while the body was being sent.</summary>
    FileClosed,

    /// <summary>The file on disk ended before the range its catalog entry promised: a data-integrity fault.</summary>
    FileShort,

    /// <summary>Reading the file failed (an I/O error from the disk).</summary>
    FileUnreadable,
}

internal static class SendOutcomes
{
    /// <summary>True for the outcomes caused by the stored file rather than the client: counted and logged as warnings.</summary>
    public static bool IsFileFault(this SendOutcome outcome) => outcome >= SendOutcome.FileClosed;
}
