namespace OpenCdn.Steering.Decisions;

/// <summary>
/// The answer to one playback request: up to <see cref="MaxServers"/> servers in rank order (edges, then origin), the
/// outcome class, and the client's region. A value type holding its servers inline: deciding allocates nothing.
/// </summary>
internal readonly struct SteeringDecision
{
    public const int MaxServers = 4;

    private readonly ServerBuffer _servers;

    internal SteeringDecision(SteeringOutcome outcome, int version, string? region, in ServerBuffer servers, int count)
    {
        Outcome = outcome;
        Version = version;
        Region = region;
        _servers = servers;
        Count = count;
    }

    public SteeringOutcome Outcome { get; }

    /// <summary>The title's current package version the servers were chosen for (0 for an unknown title).</summary>
    public int Version { get; }

    public string? Region { get; }

    public int Count { get; }

    public ServerChoice this[int index] => (uint)index < (uint)Count
        ? _servers[index]
        : throw new ArgumentOutOfRangeException(nameof(index));

    public ServerChoice[] ToArray()
    {
        var servers = new ServerChoice[Count];
        for (var i = 0; i < Count; i++)
        {
            servers[i] = _servers[i];
        }
        return servers;
    }
}
