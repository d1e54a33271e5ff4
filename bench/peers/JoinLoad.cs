using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Peers.Bench;

/// <summary>
/// The signalling server's cost: the control plane's CPU time (utime + stime from /proc) across N WebSocket joins (connect,
/// session check, network lookup, introductions, welcome), beside its CPU time across N playback requests, the reference.
/// Every joined socket stays open until the end, so later joins find a full swarm, as at a peak.
/// </summary>
internal static class JoinLoad
{
    public static async Task<string> MeasureAsync(PlatformProcesses platform, int joins)
    {
        var title = await TitleIdAsync(platform);
        using var viewer = await platform.ViewerAsync();
        for (var i = 0; i < 50; i++)
        {
            await SessionAsync(viewer, title); // warm-up: JIT and caches
        }
        var sessions = new List<string>(joins);
        var startPlayback = CpuSeconds(platform.ControlPlane.Id);
        for (var i = 0; i < joins; i++)
        {
            sessions.Add(await SessionAsync(viewer, title));
        }
        var playbackCpu = CpuSeconds(platform.ControlPlane.Id) - startPlayback;
        var sockets = new List<ClientWebSocket>(joins);
        try
        {
            var startJoins = CpuSeconds(platform.ControlPlane.Id);
            var buffer = new byte[64 * 1024];
            foreach (var session in sessions)
            {
                var socket = new ClientWebSocket();
                sockets.Add(socket);
                var url = new UriBuilder(platform.BaseUrl) { Scheme = "ws", Path = $"/api/v1/peers/{session}/signal" }.Uri;
                await socket.ConnectAsync(url, CancellationToken.None);
                await socket.ReceiveAsync(buffer, CancellationToken.None); // the welcome
            }
            var joinCpu = CpuSeconds(platform.ControlPlane.Id) - startJoins;
            return string.Create(CultureInfo.InvariantCulture,
                $"signalling: {joins} joins, control-plane CPU {joinCpu * 1000 / joins:0.00} ms per join; reference: playback request "
                + $"{playbackCpu * 1000 / joins:0.00} ms CPU each -> join/playback {joinCpu / playbackCpu:0.00}x");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    private static async Task<string> TitleIdAsync(PlatformProcesses platform)
    {
        using var viewer = await platform.ViewerAsync();
        var titles = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/titles");
        return titles.EnumerateArray().First(t => t.GetProperty("status").GetString() == "ready").GetProperty("id").GetString()!;
    }

    private static async Task<string> SessionAsync(HttpClient viewer, string title)
    {
        using var response = await viewer.PostAsync($"/api/v1/playback/{title}", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
    }

    /// <summary>utime + stime of a process, in seconds (fields 14 and 15 of /proc/{pid}/stat, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
