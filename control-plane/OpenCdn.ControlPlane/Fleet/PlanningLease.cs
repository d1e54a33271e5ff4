using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Coordination;
using OpenCdn.Catalog.FillPlans;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// The lease that makes one control-plane instance the fill planner: taken or renewed on every sync pass, for
/// <see cref="FleetOptions.PlanningLease"/>; given up when the instance stops. An instance that dies keeps it until it
/// expires, then the next pass of another instance takes it.
/// </summary>
internal sealed partial class PlanningLease(LeaseStore leases, IOptions<FleetOptions> options, ILogger<PlanningLease> logger)
{
    public const string Name = "fill-planner";

    private int _held;

    /// <summary>This instance, told apart from every other (also several in one process, as tests run them).</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Whether the last pass took or renewed the lease.</summary>
    public bool IsHeld => Volatile.Read(ref _held) == 1;

    public PlanLease Lease => new(Name, Holder, options.Value.PlanningLease);

    /// <summary>Takes or renews the lease; true while this instance plans.</summary>
    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        var held = await leases.TryHoldAsync(Name, Holder, options.Value.PlanningLease, cancellationToken);
        if (Interlocked.Exchange(ref _held, held ? 1 : 0) == 1 != held)
        {
            if (held)
            {
                Log.Taken(logger, Holder);
            }
            else
            {
                Log.Lost(logger, Holder);
            }
        }
        return held;
    }

    /// <summary>Another instance holds the lease now (a write found it gone).</summary>
    public void Lost()
    {
        if (Interlocked.Exchange(ref _held, 0) == 1)
        {
            Log.Lost(logger, Holder);
        }
    }

    /// <summary>Gives the lease up so another instance plans from its next pass, not only once it expires.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _held, 0) == 1)
        {
            await leases.ReleaseAsync(Name, Holder, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(220, LogLevel.Information, "This instance ({Holder}) now plans fill for the fleet")]
        public static partial void Taken(ILogger logger, string holder);

        [LoggerMessage(221, LogLevel.Information, "This instance ({Holder}) no longer plans fill; another one does")]
        public static partial void Lost(ILogger logger, string holder);
    }
}
