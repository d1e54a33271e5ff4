namespace OpenCdn.Steering.Fill;

/// <summary>
/// Rendezvous (highest random weight) hashing of titles over edges: each (edge, title) pair gets a score, and a title
/// goes to the edges with the highest scores. Every control-plane instance computes the same scores (stable across
/// processes and runtimes, unlike string hash codes); an edge that leaves moves only its own titles, each to its next choice.
/// The two ids are hashed apart (<see cref="Of"/>), so a planning run hashes each id once and scores a pair in a few instructions.
/// </summary>
internal static class Rendezvous
{
    /// <summary>FNV-1a over the id's UTF-16 code units.</summary>
    public static ulong Of(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>The pair's score from both hashes: a 64-bit finalizer (murmur3's) over their combination.</summary>
    public static ulong Score(ulong edge, ulong title)
    {
        var hash = edge ^ (title * 0x9E3779B97F4A7C15UL);
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }

    public static ulong Score(string edgeId, string titleId) => Score(Of(edgeId), Of(titleId));
}
