using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Peers;

namespace OpenCdn.ControlPlane.Peers;

/// <summary>
/// The viewers connected to this control-plane instance, grouped in swarms (one title, one package version, one client
/// network). Joining introduces a viewer to at most <see cref="PeerOptions.MaxPeers"/> members of its own swarm that
/// still have room; a message is relayed only between two viewers that were introduced. A session has one live member:
/// a newer connection of the same session replaces the older one, which its peers hear has left. Swarms live in this instance's
/// memory only: viewers on different instances are not introduced (see the README on balancing).
/// </summary>
internal sealed class Swarms(IOptions<PeerOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<PeerMember>> _swarms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PeerMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PeerMember> _bySession = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _members.Count;
            }
        }
    }

    /// <summary>
    /// Adds a viewer of <paramref name="session"/> to <paramref name="swarm"/> (none when null), in place of the session's
    /// older connection if it has one; returns it and the peers it should call.
    /// </summary>
    public PeerMember Join(string session, string? swarm, out IReadOnlyList<string> introduced)
    {
        var member = new PeerMember(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), session, swarm);
        var max = options.Value.MaxPeers;
        List<PeerMember> toldOfReplaced = [];
        PeerMember? replaced;
        lock (_lock)
        {
            if (_bySession.Remove(session, out replaced))
            {
                replaced.Replaced = true;
                toldOfReplaced = RemoveLocked(replaced);
            }
            _bySession.Add(session, member);
            _members.Add(member.Id, member);
            introduced = swarm is null ? [] : IntroduceLocked(member, swarm, max);
        }
        if (replaced is not null)
        {
            Notify(replaced, toldOfReplaced);
        }
        PeerMetrics.Introduced(introduced.Count);
        return member;
    }

    private List<string> IntroduceLocked(PeerMember member, string swarm, int max)
    {
        if (!_swarms.TryGetValue(swarm, out var others))
        {
            _swarms.Add(swarm, others = []);
        }
        // The least connected first, then the longest there (they hold the most media).
        var chosen = others.Where(o => o.Links.Count < max).OrderBy(o => o.Links.Count).Take(max).ToList();
        foreach (var other in chosen)
        {
            other.Links.Add(member.Id);
            member.Links.Add(other.Id);
        }
        others.Add(member);
        return [.. chosen.Select(o => o.Id)];
    }

    /// <summary>Hands <paramref name="message"/> to <paramref name="to"/> if the two were introduced; false otherwise.</summary>
    public RelayOutcome Relay(PeerMember from, string to, PeerMessage message)
    {
        PeerMember? target;
        lock (_lock)
        {
            if (!from.Links.Contains(to) || !_members.TryGetValue(to, out target))
            {
                return RelayOutcome.NotIntroduced;
            }
        }
        return target.Outbox.Writer.TryWrite(message) ? RelayOutcome.Relayed : RelayOutcome.PeerBusy;
    }

    /// <summary>Separates <paramref name="reporter"/> from <paramref name="peer"/> (it sent bad bytes); false if they were not linked.</summary>
    public bool Separate(PeerMember reporter, string peer)
    {
        lock (_lock)
        {
            if (!reporter.Links.Remove(peer))
            {
                return false;
            }
            if (_members.TryGetValue(peer, out var other))
            {
                other.Links.Remove(reporter.Id);
            }
            return true;
        }
    }

    /// <summary>Removes a viewer (once; a replaced one is gone already); the peers it was linked to hear that it left.</summary>
    public void Leave(PeerMember member)
    {
        List<PeerMember> linked;
        lock (_lock)
        {
            if (_bySession.TryGetValue(member.Session, out var current) && current == member)
            {
                _bySession.Remove(member.Session);
            }
            linked = RemoveLocked(member);
        }
        Notify(member, linked);
    }

    private List<PeerMember> RemoveLocked(PeerMember member)
    {
        if (!_members.Remove(member.Id))
        {
            return [];
        }
        if (member.Swarm is not null && _swarms.TryGetValue(member.Swarm, out var others))
        {
            others.Remove(member);
            if (others.Count == 0)
            {
                _swarms.Remove(member.Swarm);
            }
        }
        List<PeerMember> linked = [.. member.Links.Select(id => _members.GetValueOrDefault(id)).OfType<PeerMember>()];
        foreach (var other in linked)
        {
            other.Links.Remove(member.Id);
        }
        member.Links.Clear();
        return linked;
    }

    private static void Notify(PeerMember member, List<PeerMember> linked)
    {
        foreach (var other in linked)
        {
            other.Outbox.Writer.TryWrite(new PeerMessage(PeerMessage.Left, member.Id));
        }
        member.Outbox.Writer.TryComplete();
    }
}

internal enum RelayOutcome
{
    Relayed,
    NotIntroduced,
    PeerBusy,
}
