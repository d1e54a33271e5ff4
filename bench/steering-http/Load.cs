using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OpenCdn.SteeringHttp.Bench;

/// <summary>Load the wrk runs cannot make: session set-up for the manifest run, and open-loop constant-rate latency.</summary>
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
            var manifest = new Uri(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("manifestUrl").GetString()!);
            await writer.WriteLineAsync(manifest.PathAndQuery);
        }
    }

    /// <summary>
    /// Sends playback requests at <paramref name="rate"/> per second for <paramref name="seconds"/>, each timed from when
    /// it was due (not when it could be sent), so a stalled server shows in the percentiles instead of slowing the load.
    /// </summary>
    public static async Task RateAsync(Uri baseUrl, string token, string requestsFile, int rate, double seconds)
    {
        using var client = Client(baseUrl, token);
        var requests = Requests(requestsFile);
        var total = (int)(rate * seconds);
        var latencies = new double[total];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            var index = i;
            var (title, address) = requests[i % requests.Length];
            pending.Add(Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/playback/{title}");
                request.Headers.Add("X-Forwarded-For", address);
                try
                {
                    using var response = await client.SendAsync(request);
                    await response.Content.LoadIntoBufferAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
                latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
            }));
        }
        await Task.WhenAll(pending);
        var achieved = total / clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(total - 1, (int)(q * total))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rate {rate}/s for {seconds} s: achieved {achieved:F0}/s, p50 {P(0.50):F2} ms, p90 {P(0.90):F2} ms, p99 {P(0.99):F2} ms, max {latencies[^1]:F2} ms, failures {failures}"));
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
