using OpenCdn.Steering.Fleet;

namespace OpenCdn.Steering.Decisions;

/// <summary>
/// Assembles one decision rank by rank: each call to <see cref="AddRank"/> offers a group of equally good edges (one
/// matched prefix, one IX site); those that serve take the next priority, weighted by headroom. Degraded edges wait
/// for <see cref="Finish"/>, which puts them after every healthy edge and the origin last. The first rank offered is
/// the preferred one: the outcome is a content miss when none of its edges holds the title, else the fate of the first
/// that does (in the client's walk order), a hit when it is healthy. The edges of a group split the catalog, so "this
/// edge lacks the title" is no miss while another edge of the same rank holds it. A rank larger than the slots left is walked from a point chosen by
/// the client's address, so one client keeps its edges while the clients of a prefix spread over all of them.
/// </summary>
internal ref struct Ranking
{
    private const int WeightScale = 100;

    private readonly FleetSnapshot _snapshot;
    private readonly int _title;
    private readonly int _version;
    private readonly long _now;
    private readonly long _downAfter;
    private readonly double _ceiling;
    private readonly int _maxEdges;
    private readonly uint _spread;
    private ServerBuffer _servers;
    private EdgeSlots _chosen;
    private EdgeSlots _degraded;
    private int _count;
    private int _degradedCount;
    private int _priority;
    private bool _preferredSeen;

    public Ranking(FleetSnapshot snapshot, int title, int version, long nowTicks, UInt128 client)
    {
        _spread = (uint)((((ulong)client ^ (ulong)(client >> 64)) * 0x9E3779B97F4A7C15UL) >> 32);
        _snapshot = snapshot;
        _title = title;
        _version = version;
        _now = nowTicks;
        _downAfter = snapshot.Options.DownAfter.Ticks;
        _ceiling = snapshot.Options.LoadCeiling;
        _maxEdges = snapshot.Options.MaxEdges;
        _priority = 1;
        Outcome = SteeringOutcome.Other;
    }

    public SteeringOutcome Outcome { get; private set; }

    public readonly bool Full => _count >= _maxEdges;

    public readonly bool PreferredSeen => _preferredSeen;

    public void AddRank(ReadOnlySpan<int> edges, ChoiceReason reason)
    {
        var start = _count;
        var offset = edges.Length > 1 ? (int)(_spread % (uint)edges.Length) : 0;
        var judging = !_preferredSeen && edges.Length > 0;
        _preferredSeen |= judging;
        for (var k = 0; k < edges.Length; k++)
        {
            var index = edges[offset + k < edges.Length ? offset + k : offset + k - edges.Length];
            if (Full)
            {
                break;
            }
            if (Holds(_chosen, _count, index) || Holds(_degraded, _degradedCount, index))
            {
                continue;
            }
            var edge = _snapshot.Edges[index];
            var status = edge.StatusAt(_now, _downAfter, _ceiling);
            var hasTitle = edge.Inventory.Holds(_title, _version);
            if (!hasTitle)
            {
                continue;
            }
            if (judging)
            {
                judging = false;
                Outcome = status == EdgeStatus.Healthy ? SteeringOutcome.Hit : SteeringOutcome.HealthMiss;
            }
            if (status == EdgeStatus.Healthy)
            {
                _chosen[_count] = index;
                _servers[_count++] = Choice(edge, _priority, reason);
            }
            else if (status == EdgeStatus.Degraded && _degradedCount < _maxEdges)
            {
                _degraded[_degradedCount++] = index;
            }
        }
        if (judging)
        {
            Outcome = SteeringOutcome.ContentMiss; // no edge of the first rank holds the title
        }
        if (_count > start)
        {
            Weigh(start);
            _priority++;
        }
    }

    public SteeringDecision Finish(string? region, Uri origin)
    {
        var degradedPriority = _priority;
        for (var i = 0; i < _degradedCount && !Full; i++)
        {
            _servers[_count++] = Choice(_snapshot.Edges[_degraded[i]], degradedPriority, ChoiceReason.Degraded) with { Weight = 1 };
            _priority = degradedPriority + 1;
        }
        _servers[_count++] = new ServerChoice(ServerChoice.OriginId, ServerChoice.OriginId, origin, _priority, WeightScale, ChoiceReason.Origin);
        return new SteeringDecision(Outcome, _version, region, _servers, _count);
    }

    private static ServerChoice Choice(EdgeState edge, int priority, ChoiceReason reason) =>
        new(edge.Descriptor.Id, edge.Descriptor.Name, edge.Descriptor.BaseUrl, priority, 0, reason);

    /// <summary>Splits <see cref="WeightScale"/> over the rank by headroom; every member gets at least 1.</summary>
    private void Weigh(int start)
    {
        var total = 0.0;
        for (var i = start; i < _count; i++)
        {
            total += _snapshot.Edges[_chosen[i]].Headroom(_ceiling);
        }
        for (var i = start; i < _count; i++)
        {
            var share = total > 0 ? _snapshot.Edges[_chosen[i]].Headroom(_ceiling) / total : 1.0 / (_count - start);
            _servers[i] = _servers[i] with { Weight = Math.Max(1, (int)Math.Round(share * WeightScale)) };
        }
    }

    private static bool Holds(EdgeSlots slots, int count, int index)
    {
        for (var i = 0; i < count; i++)
        {
            if (slots[i] == index)
            {
                return true;
            }
        }
        return false;
    }
}
