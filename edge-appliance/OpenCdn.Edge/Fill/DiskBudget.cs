using Microsoft.Extensions.Options;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;

namespace OpenCdn.Edge.Fill;

/// <summary>
/// How many more content bytes fit: the configured capacity less headroom, and never past the file system's free space
/// less headroom.
/// </summary>
internal sealed class DiskBudget(ContentCatalog catalog, DataPaths paths, IOptions<EdgeOptions> options)
{
    public long Available()
    {
        var edge = options.Value;
        var byCapacity = edge.DiskCapacityBytes - edge.DiskHeadroomBytes - catalog.TotalBytes - PartialBytes();
        var byDrive = new DriveInfo(paths.Root).AvailableFreeSpace - edge.DiskHeadroomBytes;
        return Math.Max(0, Math.Min(byCapacity, byDrive));
    }

    private long PartialBytes() => Directory.EnumerateFiles(paths.Partial, "*", SearchOption.AllDirectories).Sum(p => new FileInfo(p).Length);
}
