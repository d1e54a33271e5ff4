using System.Net.Http.Headers;
using System.Text.Json;

namespace OpenCdn.SteeringHttp.Bench;

/// <summary>Load the wrk runs cannot make: session set-up for the manifest run.</summary>
internal static class Load
{
    public static async Task SessionsAsync(Uri baseUrl, string token, string requestsFile, int count, string output)
    {
        using var client = Client(baseUrl, token);
        var requests = Requests(requestsFile);
        await using var writer = new StreamWriter(output);
        for (var i = 0; i < count; i++)
        {
            var (title, address) = requests[i % requests.Length];
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/playback/{title}");
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var manifest = new Uri(
                JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("manifestUrl").GetString()!);
            await writer.WriteLineAsync(manifest.PathAndQuery);
        }
    }

    private static HttpClient Client(Uri baseUrl, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static (string Title, string Address)[] Requests(string file) =>
        [.. File.ReadLines(file).Select(line => line.Split(' ')).Select(f => (f[0], f[1]))];
}
