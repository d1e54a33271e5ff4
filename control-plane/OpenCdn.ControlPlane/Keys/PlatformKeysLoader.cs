using OpenCdn.Catalog.Keys;
using OpenCdn.ControlPlane.Delivery;

namespace OpenCdn.ControlPlane.Keys;

/// <summary>
/// At start, after the catalog's tables exist (it is registered after the migration): imports key files an older
/// version left in the data folder, then reads (or makes) every key from the catalog. A key-encryption key that does not
/// open them stops the start here, with a message saying so, rather than failing requests later.
/// </summary>
internal sealed class PlatformKeysLoader(
    LegacyKeyFiles legacy, SecretStore store, PlatformKeys keys, DeliveryKeyRing delivery, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await legacy.ImportAsync(cancellationToken);
        await keys.LoadAsync(store, time.GetUtcNow(), cancellationToken);
        await delivery.RefreshAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
