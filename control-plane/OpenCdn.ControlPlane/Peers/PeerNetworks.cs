using System.Net;
using OpenCdn.Steering.Decisions;
using OpenCdn.Steering.Prefixes;

namespace OpenCdn.ControlPlane.Peers;

/// <summary>
/// Which network a viewer is in, by the same prefix map steering uses: the most specific client prefix an edge of the
/// fleet announces that contains the viewer's address. Viewers in one such prefix may be peers; a viewer in no announced
/// prefix has no known network and is never introduced to anyone.
/// </summary>
internal sealed class PeerNetworks(Steerer steerer)
{
    public string? NetworkOf(IPAddress client)
    {
        var trie = steerer.Current.Prefixes.Trie;
        var id = trie.Longest(IpKey.From(client));
        return id < 0 ? null : trie.Prefix(id).ToString();
    }
}
