using System.Globalization;
using System.Text.Json;
using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// <c>OpenCdn:Logging:Format=json</c>: every service writes one JSON object per line (UTC timestamp, level, category,
/// event id, message, structured state, scopes) for a log shipper; the default stays the plain console.
/// </summary>
public sealed class JsonLogTests : IDisposable
{
    private readonly TempFolder _masters = new();

    [Fact]
    public async Task ControlPlaneAndWorker_WithJsonFormat_WriteJsonLines_WithTheRequestsTraceInTheirScopes()
    {
        var platform = PlatformProcesses.With(new Dictionary<string, string> { ["OpenCdn:Logging:Format"] = "json" });
        try
        {
            await platform.InitializeAsync();

            var waiting = Parse(await platform.Worker!.WaitForLineAsync(Contains("waiting for transcode jobs"), TimeSpan.FromSeconds(5)));
            Assert.Equal(("Information", 100, "OpenCdn.Ingest.Jobs.JobWorker"),
                (waiting.GetProperty("LogLevel").GetString(), waiting.GetProperty("EventId").GetInt32(),
                    waiting.GetProperty("Category").GetString()));
            AssertUtc(waiting);

            var master = await Ffmpeg.GenerateMasterAsync(_masters.Combine("json.mp4"), 320, 240, "25", 2, audioChannels: 0);
            using var admin = await platform.AdminAsync();
            var id = await admin.UploadAsync("json", master);
            var queued = Parse(await platform.ControlPlane.WaitForLineAsync(Contains("transcode queued"), TimeSpan.FromSeconds(30)));
            Assert.Equal(id, queued.GetProperty("State").GetProperty("TitleId").GetString());
            AssertUtc(queued);
            var scopes = queued.GetProperty("Scopes").EnumerateArray().ToList();
            Assert.Contains(scopes, scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var trace)
                && trace.GetString()!.Length == 32);
            Assert.Contains(scopes, scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("RequestPath", out var path)
                && path.GetString()!.StartsWith("/api/v1/uploads/", StringComparison.Ordinal));
        }
        finally
        {
            await platform.DisposeAsync();
        }
    }

    [Fact]
    public async Task Edge_WithJsonFormat_WritesJsonLines()
    {
        using var data = new TempFolder();
        await using var edge = ChildProcess.Start("dotnet",
            [RepoPaths.BuiltAssembly("edge-appliance/OpenCdn.Edge", "OpenCdn.Edge"), "--urls", $"http://127.0.0.1:{FreePort.Next()}"],
            environment: new Dictionary<string, string>
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["OpenCdn__Edge__DataFolder"] = data.Path,
                ["OpenCdn__Logging__Format"] = "json",
            });

        var listening = Parse(await edge.WaitForLineAsync(Contains("Now listening"), TimeSpan.FromSeconds(60)));
        Assert.Equal("Microsoft.Hosting.Lifetime", listening.GetProperty("Category").GetString());
        AssertUtc(listening);
    }

    [Fact]
    public async Task Worker_WithoutAFormat_WritesThePlainConsole()
    {
        using var data = new TempFolder();
        await using var worker = StartWorker(data, format: null);

        var line = await worker.WaitForLineAsync(Contains("waiting for transcode jobs"), TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("{", line, StringComparison.Ordinal);
        Assert.Contains("info: OpenCdn.Ingest.Jobs.JobWorker[100]", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_WithAnUnknownFormat_StopsAtStartWithTheReason()
    {
        using var data = new TempFolder();
        await using var worker = StartWorker(data, format: "xml");

        Assert.NotEqual(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("OpenCdn:Logging:Format must be 'plain' or 'json', not 'xml'", worker.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _masters.Dispose();

    private static ChildProcess StartWorker(TempFolder data, string? format)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production", ["OpenCdn__DataFolder"] = data.Path };
        if (format is not null)
        {
            environment["OpenCdn__Logging__Format"] = format;
        }
        return ChildProcess.Start("dotnet", [RepoPaths.BuiltAssembly("ingest/OpenCdn.Ingest", "OpenCdn.Ingest")], environment: environment);
    }

    private static Func<string, bool> Contains(string text) => line => line.Contains(text, StringComparison.Ordinal);

    private static JsonElement Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    private static void AssertUtc(JsonElement entry)
    {
        var timestamp = DateTimeOffset.Parse(entry.GetProperty("Timestamp").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, timestamp.Offset);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
