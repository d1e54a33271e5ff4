using Microsoft.Extensions.Options;
using OpenCdn.Edge.Hosting;

namespace OpenCdn.Edge.Fill;

/// <summary>Runs fill passes: when a new plan arrives, and every poll interval (the window opening, a source coming back).</summary>
internal sealed partial class FillService(
    FillAgent agent, FillPlanStore plans, TimeProvider time, IOptions<EdgeOptions> options, ILogger<FillService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = plans.Changed;
            var outcome = await agent.RunOnceAsync(stoppingToken);
            Log.Pass(logger, outcome);
            await Task.WhenAny(changed, Task.Delay(options.Value.FillPollInterval, time, stoppingToken));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(340, LogLevel.Debug, "Fill pass: {Outcome}")]
        public static partial void Pass(ILogger logger, FillPassOutcome outcome);
    }
}
