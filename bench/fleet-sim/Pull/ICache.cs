namespace OpenCdn.FleetSim.Pull;

/// <summary>
/// A pull cache of byte ranges: an entry is one rendition of one title, held as the prefix viewers have watched so far
/// (playback reads a file from its start, as slice caching stores it). <see cref="Request"/> answers how many of the
/// wanted bytes were there and extends the entry to the whole request, evicting by the policy to stay under capacity.
/// </summary>
internal interface ICache
{
    long Used { get; }

    /// <summary>Bytes the policy has evicted so far (zero while the cache never filled: the policy was never consulted).</summary>
    long Evicted { get; }

    /// <returns>The bytes of the first <paramref name="wanted"/> that were already cached.</returns>
    long Request(long key, long wanted);

    void Clear();
}
