using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Keys;
using OpenCdn.ControlPlane.Delivery;

namespace OpenCdn.ControlPlane.Keys;

/// <summary>
/// Every <see cref="KeysOptions.CheckInterval"/>: reads the delivery keys again, so a version another instance inserted
/// is known here within one check, and inserts the next one when rotation is near (the first instance to do so wins).
/// </summary>
internal sealed partial class DeliveryKeyRotation(
    DeliveryKeyRing ring, IOptions<KeysOptions> options, TimeProvider time, ILogger<DeliveryKeyRotation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ring.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.CheckFailed(logger, e);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(760, LogLevel.Warning, "Reading or rotating the delivery keys in the catalog failed; the keys in memory stay in use")]
        public static partial void CheckFailed(ILogger logger, Exception exception);
    }
}
