using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.Fill;

/// <summary>
/// What the edge tells the control plane it holds (complete packages of the current plan), and the bookkeeping that lets
/// a package leave the disk only after an inventory without it was reported: steering must stop sending viewers first.
/// </summary>
internal sealed class Inventory(FillPlanStore plans, ContentCatalog catalog)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PackageKey, long> _leftAt = [];
    private long _built;
    private long _reported;

    /// <summary>A numbered inventory; hand the number to <see cref="Reported"/> once the control plane accepted it.</summary>
    public (long Number, IReadOnlyList<InventoryItem> Items) Snapshot()
    {
        long number;
        lock (_gate)
        {
            number = ++_built;
        }
        var items = (plans.Current?.Items ?? [])
            .Where(item => item.Files.All(f => catalog.Contains(new ContentKey(item.TitleId, item.Version, f.Name))))
            .Select(item => new InventoryItem(item.TitleId, item.Version))
            .ToList();
        return (number, items);
    }

    public void Reported(long number)
    {
        lock (_gate)
        {
            _reported = Math.Max(_reported, number);
        }
    }

    /// <summary>
    /// For a package no longer in the plan: true once an inventory built after it left was reported. The first call
    /// starts the clock.
    /// </summary>
    public bool MayEvict(PackageKey package)
    {
        lock (_gate)
        {
            if (!_leftAt.TryGetValue(package, out var leftAt))
            {
                _leftAt[package] = _built;
                return false;
            }
            return _reported > leftAt;
        }
    }

    /// <summary>The package is in the plan again (or gone): forget when it left.</summary>
    public void Forget(PackageKey package)
    {
        lock (_gate)
        {
            _leftAt.Remove(package);
        }
    }
}
