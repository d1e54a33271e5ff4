using Microsoft.Extensions.DependencyInjection;
using OpenCdn.ControlPlane.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace OpenCdn.ControlPlane.Tests.Hosting;

/// <summary>
/// Telemetry is off unless an OTLP endpoint is configured: then nothing listens to the control plane's spans, so a
/// playback decision's <c>StartActivity</c> returns null and costs one check.
/// </summary>
public sealed class TelemetryDefaultsTests
{
    [Fact]
    public async Task WithoutAnEndpoint_NoProviderIsRegistered_AndNothingListensToTheSpans()
    {
        await using var app = new ControlPlaneApp();
        using var viewer = await app.ViewerAsync();
        using var response = await viewer.PostAsync("/api/v1/playback/no-such-title", null);

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.False(ControlPlaneActivities.Source.HasListeners());
    }

    [Theory]
    [InlineData("OpenCdn:Telemetry:OtlpEndpoint")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")] // the standard variable alone turns it on too
    public async Task WithAnEndpoint_TracesAndMetricsAreCollected(string key)
    {
        await using var app = new ControlPlaneApp(new Dictionary<string, string> { [key] = "http://127.0.0.1:9/" }, realSockets: false);
        using var client = app.CreateClient();

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
        Assert.True(ControlPlaneActivities.Source.HasListeners());
    }

    [Fact]
    public async Task WithTheStandardKillSwitch_NothingIsCollectedDespiteAnEndpoint()
    {
        await using var app = new ControlPlaneApp(new Dictionary<string, string>
        {
            ["OpenCdn:Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9/",
            ["OTEL_SDK_DISABLED"] = "true",
        }, realSockets: false);
        using var client = app.CreateClient();

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.False(ControlPlaneActivities.Source.HasListeners());
    }

    [Theory]
    [InlineData("collector:4318")]
    [InlineData("ftp://collector/")]
    public void AnEndpointThatIsNotAnHttpUrl_StopsTheStart(string endpoint)
    {
        using var app = new ControlPlaneApp(new Dictionary<string, string> { ["OpenCdn:Telemetry:OtlpEndpoint"] = endpoint }, realSockets: false);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("OpenCdn:Telemetry:OtlpEndpoint must be an absolute http(s) URL", error.ToString(), StringComparison.Ordinal);
    }
}
