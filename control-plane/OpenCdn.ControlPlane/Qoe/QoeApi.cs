using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCdn.ControlPlane.Auth;
using OpenCdn.ControlPlane.Peers;
using OpenCdn.ControlPlane.Stats;

namespace OpenCdn.ControlPlane.Qoe;

/// <summary><c>POST /api/v1/qoe</c> (the playing session) and <c>GET /api/v1/stats/qoe</c> (admins).</summary>
internal static class QoeApi
{
    /// <summary>Beacons are small; anything larger is not one.</summary>
    public const long MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapQoeApi(this RouteGroupBuilder api)
    {
        api.MapPost("/qoe", Record).AllowAnonymous().WithTags("QoE").WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        api.MapGet("/stats/qoe", Report).RequireAuthorization(Roles.AdminPolicy).WithTags("QoE");
        return api;
    }

    private static Results<Accepted, ValidationProblem, ProblemHttpResult> Record(
        QoeBeacon? beacon, QoeAggregator aggregator, QoeSessions sessions, PeerTotals peers)
    {
        var errors = QoeRules.Check(beacon);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (!sessions.MayReport(beacon!))
        {
            return TypedResults.Problem(
                "The session is unknown or expired, or does not play this title from this server.", statusCode: StatusCodes.Status403Forbidden);
        }
        aggregator.Add(beacon!);
        peers.Add(beacon!);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Every control-plane instance's beacons since the first start: the catalog's totals plus what this one has not flushed yet.</summary>
    private static async Task<Ok<QoeReport>> Report(QoeTotals totals, CancellationToken cancellationToken) =>
        TypedResults.Ok(await totals.ReportAsync(cancellationToken));
}
