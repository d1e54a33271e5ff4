using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OpenCdn.Platform.Files;

/// <summary>
/// At start: the data folder and its <c>keys</c> folder are the owner's only (0700), and every key file in it 0600,
/// whatever made them earlier (an older version, a copy, a restore).
/// </summary>
internal sealed class PrivateDataFolder(IOptions<PlatformOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var data = SecretFile.CreateFolder(options.Value.DataFolder);
        var keys = SecretFile.CreateFolder(Path.Combine(data, "keys"));
        foreach (var file in Directory.EnumerateFiles(keys))
        {
            SecretFile.Tighten(file);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
