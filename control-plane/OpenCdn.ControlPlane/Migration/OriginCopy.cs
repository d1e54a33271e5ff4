using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Migration;

/// <summary>
/// Streams every object of an embedded origin folder (masters, packages) into the target store; an object the target
/// holds already with the same size is left as it is, so a rerun copies only what an interrupted run had not.
/// </summary>
internal static class OriginCopy
{
    public static async Task<CopyCount> CopyAsync(string root, IObjectStore target, CancellationToken cancellationToken)
    {
        var count = new CopyCount(0, 0);
        if (!Directory.Exists(Path.Combine(root, "objects")))
        {
            return count;
        }
        var source = new FileSystemObjectStore(root, () => throw new InvalidOperationException("The migration signs no origin URLs."));
        await foreach (var info in source.ListAsync("", cancellationToken))
        {
            if ((await target.HeadAsync(info.Key, cancellationToken))?.Size == info.Size)
            {
                count = count with { AlreadyThere = count.AlreadyThere + 1, AlreadyThereBytes = count.AlreadyThereBytes + info.Size };
                continue;
            }
            await using var content = await source.GetAsync(info.Key, null, cancellationToken)
                ?? throw new InvalidOperationException($"Origin object {info.Key} disappeared from {root} during the migration.");
            var stored = await target.PutAsync(info.Key, content.Body, cancellationToken);
            if (stored.Size != content.Info.Size)
            {
                throw new InvalidOperationException($"Origin object {info.Key}: {stored.Size} bytes stored, {content.Info.Size} read.");
            }
            count = count with { Copied = count.Copied + 1, CopiedBytes = count.CopiedBytes + stored.Size };
        }
        return count;
    }
}
