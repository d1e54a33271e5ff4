using System.Net;
using OpenCdn.Steering.Fleet;
using OpenCdn.Steering.Popularity;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.Steering.Decisions;

/// <summary>
/// Decides which servers a viewer uses. Holds the current <see cref="FleetSnapshot"/> (replaced by one reference swap
/// in <see cref="Publish"/>); a decision reads it with no lock, no I/O and no allocation, counts its outcome and hands
/// the play to popularity.
/// </summary>
internal sealed class Steerer(TimeProvider time, PopularityTracker? popularity = null)
{
    private FleetSnapshot _snapshot = FleetSnapshot.Empty(new SteeringOptions());

    public SteeringStats Stats { get; } = new();

    public FleetSnapshot Current => Volatile.Read(ref _snapshot);

    public void Publish(FleetSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Volatile.Write(ref _snapshot, snapshot);
    }

    /// <summary>
    /// Ranks servers for <paramref name="client"/> playing <paramref name="titleId"/>: embedded edges whose prefixes
    /// contain the client (longest prefix first), then IX edges nearest the client, then degraded edges, then origin.
    /// </summary>
    public SteeringDecision Decide(string titleId, IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(titleId);
        var snapshot = Current;
        if (!snapshot.Catalog.TryGetCurrent(titleId, out var title, out var version))
        {
            Stats.Record(SteeringOutcome.UnknownTitle);
            return new SteeringDecision(SteeringOutcome.UnknownTitle, 0, null, default, 0);
        }
        var now = time.GetUtcNow().UtcTicks;
        var address = IpKey.From(client);
        Span<int> matches = stackalloc int[PrefixTrie.MaxMatches];
        matches = matches[..snapshot.Prefixes.Trie.Matches(address, matches)];

        var ranking = new Ranking(snapshot, title, version, now, address);
        foreach (var prefix in matches)
        {
            ranking.AddRank(snapshot.Prefixes.Edges(prefix), ChoiceReason.EmbeddedPrefix);
        }
        var location = snapshot.Locate(matches, address, out var region);
        var sites = snapshot.Ix.Sites;
        foreach (var site in snapshot.Ix.Nearest(location))
        {
            if (ranking.Full)
            {
                break;
            }
            // A site none of whose edges holds the title is skipped, unless it would hold the preferred edge (whose fate is the outcome).
            if (!ranking.PreferredSeen || snapshot.IxHoldings.MayHold(site, title))
            {
                ranking.AddRank(sites[site].Edges, ChoiceReason.IxNearest);
            }
        }
        var decision = ranking.Finish(region, snapshot.Options.OriginBaseUrl);
        Stats.Record(decision.Outcome);
        popularity?.Record(titleId, region, now);
        return decision;
    }

    /// <summary>
    /// A fresh DASH <c>PATHWAY-PRIORITY</c> for a session, from the current snapshot: see <see cref="PathwayRanker"/>.
    /// </summary>
    public string[] Rerank(IReadOnlyList<string> sessionPathways, string titleId, string? currentPathway,
        long? throughputBitsPerSecond, long requiredBitsPerSecond) =>
        PathwayRanker.Rank(Current, time.GetUtcNow().UtcTicks, sessionPathways, titleId, currentPathway, throughputBitsPerSecond,
            requiredBitsPerSecond);
}
