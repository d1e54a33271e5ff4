using System.Globalization;
using Microsoft.Net.Http.Headers;
using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// Writes a verified file (or one byte range of it) with RFC 9110 preconditions. The body is read straight into
/// Kestrel's output pipe (no intermediate buffer: one copy fewer than a stream copy) in 64 KiB steps; a client that goes
/// away ends the response quietly.
/// </summary>
internal sealed class ContentFileResult(StoredFile file, string path, string cacheControl) : IResult
{
    private const int ChunkSize = 64 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        var headers = request.GetTypedHeaders();
        var lastModified = file.LastModified;
        var responseHeaders = response.Headers;
        responseHeaders.AcceptRanges = "bytes";
        responseHeaders.ETag = file.EntityTag.Tag.Value;
        responseHeaders.LastModified = file.LastModifiedHeader;
        responseHeaders.CacheControl = cacheControl;
        switch (Preconditions.Evaluate(headers, file.EntityTag, lastModified))
        {
            case PreconditionOutcome.NotModified:
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            case PreconditionOutcome.PreconditionFailed:
                response.StatusCode = StatusCodes.Status412PreconditionFailed;
                return;
        }
        var range = Preconditions.RangeApplies(headers, file.EntityTag, lastModified) ? ByteRange.Parse(request, headers, file.Size) : ByteRange.None(file.Size);
        if (!range.Satisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            responseHeaders.ContentRange = "bytes */" + file.Size.ToString(CultureInfo.InvariantCulture);
            return;
        }
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            // Opened before the status is chosen: an eviction deleting the file now leaves this response its handle.
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            response.StatusCode = StatusCodes.Status404NotFound; // evicted or quarantined between lookup and open
            return;
        }
        using (handle)
        {
            response.ContentType = file.ContentType;
            response.ContentLength = range.Length;
            if (range.Requested)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                responseHeaders.ContentRange = new ContentRangeHeaderValue(range.From, range.From + range.Length - 1, file.Size).ToString();
            }
            if (HttpMethods.IsHead(request.Method))
            {
                return;
            }
            await WriteAsync(httpContext, handle, range.From, range.Length);
        }
    }

    private static async Task WriteAsync(HttpContext context, Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, long remaining)
    {
        var writer = context.Response.BodyWriter;
        try
        {
            while (remaining > 0)
            {
                var memory = writer.GetMemory((int)Math.Min(ChunkSize, remaining));
                var want = (int)Math.Min(memory.Length, remaining);
                // A blocking read: served files sit in the page cache, where this is a memory copy.
                var read = RandomAccess.Read(handle, memory.Span[..want], offset);
                if (read == 0)
                {
                    context.Abort(); // the file is shorter than the catalog says: never send a short body silently
                    return;
                }
                writer.Advance(read);
                offset += read;
                remaining -= read;
                var flushed = await writer.FlushAsync(context.RequestAborted);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to report.
        }
    }
}
