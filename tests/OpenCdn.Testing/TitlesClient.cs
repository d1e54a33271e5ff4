using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OpenCdn.Testing;

/// <summary>What an uploader does over HTTP: create a title, upload its master with tus, wait for the outcome.</summary>
public static class TitlesClient
{
    public static async Task<string> CreateTitleAsync(this HttpClient admin, string name)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/titles", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>tus creation: returns the upload's URL.</summary>
    public static async Task<string> CreateUploadAsync(this HttpClient admin, string titleId, long length, string fileName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/titles/{titleId}/upload");
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(fileName)));
        using var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    public static async Task<HttpResponseMessage> PatchAsync(this HttpClient admin, string uploadUrl, long offset, HttpContent body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, uploadUrl) { Content = body };
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/offset+octet-stream");
        return await admin.SendAsync(request);
    }

    public static async Task<long> OffsetAsync(this HttpClient admin, string uploadUrl)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, uploadUrl);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        using var response = await admin.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>Uploads a whole file in one PATCH.</summary>
    public static async Task<string> UploadAsync(this HttpClient admin, string name, string path)
    {
        var id = await admin.CreateTitleAsync(name);
        var bytes = await File.ReadAllBytesAsync(path);
        var upload = await admin.CreateUploadAsync(id, bytes.Length, Path.GetFileName(path));
        if (bytes.Length > 0)
        {
            using var response = await admin.PatchAsync(upload, 0, new ByteArrayContent(bytes));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        return id;
    }

    /// <summary>
    /// Polls the title until it is ready or failed; returns it. Fails after <paramref name="timeout"/> with the title
    /// as last seen.
    /// </summary>
    public static Task<JsonElement> WaitForOutcomeAsync(this HttpClient client, string titleId, TimeSpan timeout) =>
        Eventually.ValueAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/titles/{titleId}"),
            title => title.Status() is "ready" or "failed", $"title {titleId} is ready or failed", timeout, TimeSpan.FromMilliseconds(250),
            title => title.GetRawText());

    public static string Status(this JsonElement title) => title.GetProperty("status").GetString()!;
}
