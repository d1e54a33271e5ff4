using System.Collections.Concurrent;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// The edges steering leaves out, and why (a stored registration or heartbeat that is not valid, or cannot be read or
/// built): shown in the fleet view, counted in <c>opencdn_fleet_edges_left_out</c>, logged once per new problem.
/// </summary>
internal sealed partial class EdgeProblems(ILogger<EdgeProblems> logger)
{
    private readonly ConcurrentDictionary<string, string> _problems = new(StringComparer.Ordinal);

    public string? Of(string edgeId) => _problems.GetValueOrDefault(edgeId);

    public void Set(string edgeId, string problem)
    {
        if (_problems.GetValueOrDefault(edgeId) != problem)
        {
            _problems[edgeId] = problem;
            Log.EdgeLeftOut(logger, edgeId, problem);
        }
        SteeringMetrics.LeftOut(_problems.Count);
    }

    public void Clear(string edgeId)
    {
        if (_problems.TryRemove(edgeId, out _))
        {
            SteeringMetrics.LeftOut(_problems.Count);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(201, LogLevel.Warning, "Edge {EdgeId} is left out of steering until it sends valid state: {Problem}")]
        public static partial void EdgeLeftOut(ILogger logger, string edgeId, string problem);
    }
}
