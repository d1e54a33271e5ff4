using System.Globalization;
using System.Text.RegularExpressions;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Support;

/// <summary>
/// An edge with a plaintext and an HTTPS endpoint (a self-signed P-256 certificate for 127.0.0.1, standard
/// <c>Kestrel:Endpoints</c> configuration), and reading its metrics over the plaintext one.
/// </summary>
public static partial class TlsEdge
{
    public static async Task<EdgeHost> StartAsync(TempFolder folder, IDictionary<string, string?>? settings = null, LogSink? logs = null)
    {
        var certificate = folder.Combine("edge.pfx");
        await File.WriteAllBytesAsync(certificate, TestCertificate.Pfx());
        var all = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certificate,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = TestCertificate.Password,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return await EdgeHost.StartAsync(folder.Combine("data"), all, backgroundServices: false, logs: logs);
    }

    public static Uri Plain(this EdgeHost edge) => edge.Addresses.Single(a => a.Scheme == Uri.UriSchemeHttp);

    public static Uri Tls(this EdgeHost edge) => edge.Addresses.Single(a => a.Scheme == Uri.UriSchemeHttps);

    /// <summary>The edge's <c>/metrics</c> text, read over plaintext HTTP.</summary>
    public static async Task<string> MetricsAsync(this EdgeHost edge)
    {
        using var client = new HttpClient { BaseAddress = edge.Plain() };
        return await client.GetStringAsync("metrics");
    }

    /// <summary>The value of the series <paramref name="series"/> (name and labels, as written) in <c>/metrics</c>.</summary>
    public static async Task<double> MetricAsync(this EdgeHost edge, string series)
    {
        foreach (Match line in Line().Matches(await edge.MetricsAsync()))
        {
            if (line.Groups[1].Value == series)
            {
                return double.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"{series} is not in /metrics");
    }

    [GeneratedRegex(@"^([a-z_]+(?:\{[^}]*\})?) ([0-9.eE+-]+)$", RegexOptions.Multiline)]
    private static partial Regex Line();
}
