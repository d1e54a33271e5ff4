using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OpenCdn.Cli.Api;
using OpenCdn.Cli.Hosting;

namespace OpenCdn.Cli.Uploads;

/// <summary>The tus 1.0 requests the CLI makes: creation (POST), offset (HEAD), append (PATCH).</summary>
internal sealed class TusClient(HttpClient http)
{
    private const string Version = "1.0.0";
    private const string OffsetHeader = "Upload-Offset";

    /// <summary>Creates an upload of <paramref name="length"/> bytes at the title's upload URL; returns the upload's URL.</summary>
    public async Task<Uri> CreateAsync(Uri uploadUrl, long length, string fileName, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, uploadUrl);
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(fileName)));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await ApiErrors.DescribeAsync(response, "Starting the upload failed", cancellationToken);
        }
        var location = response.Headers.Location ?? throw new CliException(
            "The server created an upload but did not say where (no Location).", ExitCodes.Failed);
        return new Uri(http.BaseAddress!, location);
    }

    /// <summary>How many bytes the server holds, or null when the upload is gone.</summary>
    public async Task<long?> OffsetAsync(Uri upload, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Head, upload);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiErrors.DescribeAsync(response, "Asking the server for the upload's offset failed", cancellationToken);
        }
        return ReadOffset(response);
    }

    /// <summary>Appends <paramref name="body"/> at <paramref name="offset"/>; on <see cref="PatchResult.Accepted"/> also the new offset.</summary>
    public async Task<(PatchResult Result, long Offset)> PatchAsync(Uri upload, long offset, HttpContent body, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Patch, upload);
        request.Headers.Add(OffsetHeader, offset.ToString(CultureInfo.InvariantCulture));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        request.Content = body;
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.NoContent => (PatchResult.Accepted, ReadOffset(response)),
            HttpStatusCode.Conflict => (PatchResult.OffsetMismatch, offset),
            HttpStatusCode.NotFound or HttpStatusCode.Gone => (PatchResult.Gone, offset),
            _ => throw await ApiErrors.DescribeAsync(response, "Sending the master failed", cancellationToken),
        };
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", Version);
        return request;
    }

    private static long ReadOffset(HttpResponseMessage response) =>
        response.Headers.TryGetValues(OffsetHeader, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new CliException("The server's answer has no valid Upload-Offset; is this a tus server?", ExitCodes.Failed);
}
