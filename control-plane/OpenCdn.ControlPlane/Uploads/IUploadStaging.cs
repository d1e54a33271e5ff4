using OpenCdn.Catalog.Uploads;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>
/// Where the bytes of unfinished uploads wait until the master is whole. Embedded mode: a file per upload on this
/// instance's disk (<see cref="FolderUploadStaging"/>). Cloud mode: a multipart upload in the object store with its
/// state in the catalog (<see cref="MultipartUploadStaging"/>), so any instance can take the next PATCH.
/// </summary>
internal interface IUploadStaging
{
    /// <summary>How many bytes of the upload are kept.</summary>
    Task<long> OffsetAsync(Upload upload, CancellationToken cancellationToken);

    /// <summary>
    /// Appends the body at <paramref name="offset"/>, never past the upload's length. <paramref name="clientGone"/>
    /// fires when the client goes away; what arrived until then is kept.
    /// </summary>
    Task<AppendResult> AppendAsync(Upload upload, long offset, Stream body, CancellationToken clientGone);

    /// <summary>Puts the whole master into origin at <paramref name="masterKey"/>; its size, or null when nothing is staged (cancelled).</summary>
    Task<long?> StoreMasterAsync(Upload upload, string masterKey, CancellationToken cancellationToken);

    /// <summary>Throws the upload's partial data away; discarding twice is not an error.</summary>
    Task DiscardAsync(string uploadId, CancellationToken cancellationToken);

    /// <summary>True while a PATCH on this instance is writing the upload (the sweeper leaves it alone).</summary>
    bool IsBeingWritten(string uploadId);

    /// <summary>Removes partial data that no upload owns any more (left by a crash between forgetting and discarding).</summary>
    Task SweepOrphansAsync(CancellationToken cancellationToken);
}

internal enum AppendOutcome
{
    /// <summary>The body was kept; <see cref="AppendResult.Offset"/> is the new offset.</summary>
    Appended,

    /// <summary>The client went away mid-body; what arrived is kept up to <see cref="AppendResult.Offset"/>.</summary>
    ClientGone,

    /// <summary>The offset sent is not the upload's (<see cref="AppendResult.Offset"/>), or another writer moved it first.</summary>
    OffsetMismatch,

    /// <summary>Another request on this instance is writing the upload right now.</summary>
    Busy,

    /// <summary>The upload's staged data is gone (cancelled or expired while this PATCH ran).</summary>
    Gone,

    /// <summary>The store's part numbers ran out (thousands of lost races): the upload must start again.</summary>
    OutOfParts,
}

internal readonly record struct AppendResult(AppendOutcome Outcome, long Offset);
