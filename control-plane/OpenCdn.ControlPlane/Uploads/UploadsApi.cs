using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Titles;
using OpenCdn.Catalog.Uploads;
using OpenCdn.ControlPlane.Auth;

namespace OpenCdn.ControlPlane.Uploads;

/// <summary>
/// tus 1.0 (core, creation, termination) for masters: <c>POST /api/v1/titles/{id}/upload</c> creates an upload,
/// <c>HEAD</c>/<c>PATCH</c>/<c>DELETE /api/v1/uploads/{uploadId}</c> resume, append and cancel it. Bodies stream into
/// the staging (<see cref="IUploadStaging"/>: a local file in embedded mode, a multipart upload in the object store in
/// cloud mode); the finished master lands in origin storage and a transcode job is queued.
/// </summary>
internal static class UploadsApi
{
    public static RouteGroupBuilder MapUploadsApi(this RouteGroupBuilder api)
    {
        api.MapMethods("/titles/{id}/upload", ["OPTIONS"], Options).AllowAnonymous().ExcludeFromDescription();
        api.MapMethods("/uploads/{uploadId}", ["OPTIONS"], Options).AllowAnonymous().ExcludeFromDescription();
        var admin = api.MapGroup("").RequireAuthorization(Roles.AdminPolicy).WithTags("Uploads");
        admin.MapPost("/titles/{id}/upload", Create);
        admin.MapMethods("/uploads/{uploadId}", ["HEAD"], Head);
        admin.MapPatch("/uploads/{uploadId}", Append);
        admin.MapDelete("/uploads/{uploadId}", Terminate);
        return api;
    }

    private static NoContent Options(HttpContext context, IOptions<UploadOptions> options)
    {
        var headers = context.Response.Headers;
        headers[Tus.ResumableHeader] = Tus.Version;
        headers[Tus.VersionHeader] = Tus.Version;
        headers[Tus.ExtensionHeader] = Tus.Extensions;
        headers[Tus.MaxSizeHeader] = options.Value.MaxSizeBytes.ToString(CultureInfo.InvariantCulture);
        return TypedResults.NoContent();
    }

    private static async Task<Results<StatusCodeHttpResult, ProblemHttpResult>> Create(
        string id, HttpContext context, TitleStore titles, UploadStore uploads, UploadCompletion completion,
        IOptions<UploadOptions> options, CancellationToken cancellationToken)
    {
        if (CheckVersion(context) is { } wrongVersion)
        {
            return wrongVersion;
        }
        var lengthHeader = context.Request.Headers[Tus.LengthHeader].ToString();
        if (!long.TryParse(lengthHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return Problem(StatusCodes.Status400BadRequest, "Upload-Length must be the master's size in bytes (deferred length is not supported).");
        }
        if (length > options.Value.MaxSizeBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"The master is {length} bytes; the limit is {options.Value.MaxSizeBytes}.");
        }
        var title = await titles.GetAsync(id, cancellationToken);
        if (title is null)
        {
            return Problem(StatusCodes.Status404NotFound, $"There is no title '{id}'.");
        }
        var busy = Problem(
            StatusCodes.Status409Conflict, $"Title '{id}' is {title.Status.ToString().ToLowerInvariant()}; wait until it is ready or failed.");
        if (title.Status is TitleStatus.Queued or TitleStatus.Transcoding)
        {
            return busy;
        }
        var fileName = Tus.SafeFileName(Tus.ParseMetadata(context.Request.Headers[Tus.MetadataHeader]).GetValueOrDefault("filename"));
        var upload = await uploads.TryCreateAsync(id, length, fileName, options.Value.ExpiresAfter, cancellationToken);
        if (upload is null)
        {
            return Problem(
                StatusCodes.Status409Conflict, $"Title '{id}' already has an upload in progress: resume it, or DELETE it before starting another.");
        }
        if (!await titles.MarkUploadingAsync(id, cancellationToken))
        {
            await uploads.DeleteAsync(upload.Id, cancellationToken); // the title moved on (queued, retired) meanwhile
            return busy;
        }
        if (length == 0)
        {
            // Nothing to send: the upload is complete as created (the worker will refuse the empty master).
            await completion.CompleteAsync(upload, cancellationToken);
        }
        SetCommonHeaders(context, upload);
        context.Response.Headers.Location = $"/api/v1/uploads/{upload.Id}";
        return TypedResults.StatusCode(StatusCodes.Status201Created);
    }

    private static async Task<Results<Ok, ProblemHttpResult>> Head(
        string uploadId, HttpContext context, UploadStore uploads, IUploadStaging staging, UploadCompletion completion,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(uploadId, uploads, cancellationToken) is not { } upload)
        {
            return Problem(StatusCodes.Status404NotFound, "No such upload: it finished, was cancelled or expired.");
        }
        var offset = await staging.OffsetAsync(upload, cancellationToken);
        if (offset == upload.Length)
        {
            // Every byte arrived but completion was cut short (a crash): finish it now.
            await completion.CompleteAsync(upload, cancellationToken);
        }
        SetCommonHeaders(context, upload);
        context.Response.Headers[Tus.OffsetHeader] = offset.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok();
    }

    private static async Task<Results<NoContent, EmptyHttpResult, ProblemHttpResult>> Append(
        string uploadId, HttpContext context, UploadStore uploads, IUploadStaging staging, UploadCompletion completion,
        IOptions<UploadOptions> options, CancellationToken cancellationToken)
    {
        if (CheckVersion(context) is { } wrongVersion)
        {
            return wrongVersion;
        }
        if (!string.Equals(context.Request.ContentType, Tus.OffsetContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, $"PATCH bodies must be {Tus.OffsetContentType}.");
        }
        if (await FindAsync(uploadId, uploads, cancellationToken) is not { } upload)
        {
            return Problem(StatusCodes.Status404NotFound, "No such upload: it finished, was cancelled or expired.");
        }
        await uploads.TouchAsync(uploadId, options.Value.ExpiresAfter, cancellationToken);
        if (!long.TryParse(context.Request.Headers[Tus.OffsetHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return Problem(StatusCodes.Status400BadRequest, "Upload-Offset is required.");
        }
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
        var appended = await staging.AppendAsync(upload, offset, context.Request.Body, context.RequestAborted);
        switch (appended.Outcome)
        {
            case AppendOutcome.Busy:
                return Problem(StatusCodes.Status409Conflict, "Another request is writing to this upload; HEAD for the offset and try again.");
            case AppendOutcome.OffsetMismatch:
                return Problem(StatusCodes.Status409Conflict,
                    $"Upload-Offset {offset} does not match the {appended.Offset} bytes received; HEAD for the offset.");
            case AppendOutcome.OutOfParts:
                return Problem(StatusCodes.Status409Conflict,
                    "This upload lost too many races between concurrent PATCHes to go on; DELETE it and upload again.");
            case AppendOutcome.ClientGone:
                return TypedResults.Empty; // what arrived is kept, and HEAD will say how much
        }
        if (appended.Outcome == AppendOutcome.Gone || await FindAsync(uploadId, uploads, cancellationToken) is null)
        {
            // Cancelled (DELETE) or expired while this body streamed: the bytes went to staging that is no longer the upload's.
            await staging.DiscardAsync(uploadId, cancellationToken);
            return Problem(StatusCodes.Status410Gone, "The upload was cancelled while this PATCH was writing.");
        }
        await uploads.TouchAsync(uploadId, options.Value.ExpiresAfter, cancellationToken);
        if (appended.Offset == upload.Length && !await completion.CompleteAsync(upload, cancellationToken))
        {
            return Problem(StatusCodes.Status409Conflict, "The title was retired or changed while its master was uploading.");
        }
        context.Response.Headers[Tus.ResumableHeader] = Tus.Version;
        context.Response.Headers[Tus.OffsetHeader] = appended.Offset.ToString(CultureInfo.InvariantCulture);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Terminate(
        string uploadId, HttpContext context, UploadStore uploads, IUploadStaging staging, TitleStore titles, CancellationToken cancellationToken)
    {
        if (await FindAsync(uploadId, uploads, cancellationToken) is not { } upload)
        {
            return Problem(StatusCodes.Status404NotFound, "No such upload: it finished, was cancelled or expired.");
        }
        await uploads.DeleteAsync(uploadId, cancellationToken);
        await staging.DiscardAsync(uploadId, cancellationToken);
        await titles.MarkUploadAbandonedAsync(upload.TitleId, cancellationToken);
        context.Response.Headers[Tus.ResumableHeader] = Tus.Version;
        return TypedResults.NoContent();
    }

    private static async Task<Upload?> FindAsync(string uploadId, UploadStore uploads, CancellationToken cancellationToken) =>
        uploadId.All(char.IsAsciiHexDigitLower) && uploadId.Length is > 0 and <= 64 ? await uploads.GetAsync(uploadId, cancellationToken) : null;

    private static ProblemHttpResult? CheckVersion(HttpContext context)
    {
        if (context.Request.Headers[Tus.ResumableHeader] == Tus.Version)
        {
            return null;
        }
        context.Response.Headers[Tus.VersionHeader] = Tus.Version;
        return Problem(StatusCodes.Status412PreconditionFailed, $"Tus-Resumable: {Tus.Version} is required.");
    }

    private static void SetCommonHeaders(HttpContext context, Upload upload)
    {
        var headers = context.Response.Headers;
        headers[Tus.ResumableHeader] = Tus.Version;
        headers[Tus.LengthHeader] = upload.Length.ToString(CultureInfo.InvariantCulture);
        headers[Tus.ExpiresHeader] = upload.ExpiresAt.ToString("R", CultureInfo.InvariantCulture);
        headers.CacheControl = "no-store";
    }

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);
}
