using System.Text.Json;
using OpenCdn.Contracts.Packages;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Packages;

/// <summary>Reads <c>package.json</c> from origin. Packages never change once published, so each is read once and kept.</summary>
internal sealed class PackageReader(IObjectStore origin)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, int), PackageManifest> _cache = new();

    /// <summary>The package, or null when origin does not hold it (any more: a retired title leaves origin).</summary>
    public async Task<PackageManifest?> ReadAsync(string titleId, int version, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue((titleId, version), out var cached))
        {
            return cached;
        }
        var key = OriginKeys.Manifest(titleId, version);
        await using var content = await origin.GetAsync(key, null, cancellationToken);
        if (content is null)
        {
            return null;
        }
        var package = await JsonSerializer.DeserializeAsync<PackageManifest>(content.Body, PackageJson.Options, cancellationToken)
            ?? throw new InvalidOperationException($"'{key}' is empty.");
        return _cache.GetOrAdd((titleId, version), package);
    }
}
