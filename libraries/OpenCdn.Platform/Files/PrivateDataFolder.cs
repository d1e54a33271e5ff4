using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenCdn.Platform.Queue;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Platform.Files;

/// <summary>
/// At start: the data folder and its <c>keys</c> folder are the owner's only (0700), and every key file in it 0600,
/// whatever made them earlier (an older version, a copy, a restore). A cloud-mode process that keeps nothing on its
/// disk (S3 and SQS) creates no data folder; one that exists is still tightened.
/// </summary>
internal sealed class PrivateDataFolder(
    IOptions<PlatformOptions> platform, IOptions<StorageOptions> storage, IOptions<QueueOptions> queue) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var data = platform.Value.DataFolder;
        var keepsFiles = storage.Value.Kind == StorageKind.FileSystem || queue.Value.Kind == QueueKind.Local;
        if (!keepsFiles && !Directory.Exists(data))
        {
            return Task.CompletedTask;
        }
        var keys = SecretFile.CreateFolder(Path.Combine(SecretFile.CreateFolder(data), "keys"));
        foreach (var file in Directory.EnumerateFiles(keys))
        {
            SecretFile.Tighten(file);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
