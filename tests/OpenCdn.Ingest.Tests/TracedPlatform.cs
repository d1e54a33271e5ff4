using System.Globalization;
using OpenCdn.Testing;
using OpenCdn.Testing.Otlp;

namespace OpenCdn.Ingest.Tests;

/// <summary>
/// The control plane and a worker as real processes with OpenTelemetry pointed at a real OTLP receiver (exports every
/// 200 ms for traces and every second for metrics, through the standard variables), and one title uploaded through them.
/// </summary>
public sealed class TracedPlatform : IAsyncLifetime
{
    private readonly TempFolder _masters = new();
    private Task<string>? _title;

    public OtlpReceiver Receiver { get; } = new();

    public PlatformProcesses Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Receiver.InitializeAsync();
        Platform = PlatformProcesses.With(new Dictionary<string, string>
        {
            ["OpenCdn:Telemetry:OtlpEndpoint"] = Receiver.BaseUrl.AbsoluteUri,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });
        await Platform.InitializeAsync();
    }

    /// <summary>A small master uploaded and transcoded once, for the tests that need a ready title; returns its id.</summary>
    public Task<string> ReadyTitleAsync() => _title ??= UploadReadyTitleAsync();

    public async Task<string> UploadAsync(string name)
    {
        var master = await Ffmpeg.GenerateMasterAsync(
            _masters.Combine($"{name}.mp4"), 320, 240, "25", 4, audioChannels: 0);
        using var admin = await Platform.AdminAsync();
        return await admin.UploadAsync(name, master);
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        await Receiver.DisposeAsync();
        _masters.Dispose();
    }

    private async Task<string> UploadReadyTitleAsync()
    {
        var id = await UploadAsync("traced-" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture));
        using var admin = await Platform.AdminAsync();
        var title = await admin.WaitForOutcomeAsync(id, TimeSpan.FromMinutes(3));
        Assert.Equal("ready", title.Status());
        return id;
    }
}
