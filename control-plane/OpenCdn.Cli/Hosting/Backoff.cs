using System.Globalization;

namespace OpenCdn.Cli.Hosting;

/// <summary>
/// Waits between retries of a failing network step: 0.5 s, doubling to at most 15 s, until the step has failed for
/// longer than the budget. <see cref="Reset"/> after a success starts the budget again.
/// </summary>
internal sealed class Backoff(TimeProvider time, TimeSpan budget)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(15);
    private int _attempts;
    private long? _failingSince;

    /// <summary>Whether <paramref name="error"/> may pass if tried again: the network, a timeout, a server error.</summary>
    public static bool IsTransient(Exception error, CancellationToken cancellationToken) => error switch
    {
        HttpRequestException or IOException => true,
        TaskCanceledException => !cancellationToken.IsCancellationRequested,
        CliException cli => cli.ExitCode == ExitCodes.Unavailable,
        _ => false,
    };

    public static string Describe(Exception error) => error switch
    {
        HttpRequestException http => CommandContext.Unreachable(http),
        TaskCanceledException => "the server did not answer in time",
        _ => error.Message,
    };

    /// <summary>Reports the wait through <paramref name="report"/> and sleeps; throws once the budget is spent.</summary>
    public async Task WaitAsync(Exception error, Action<string> report, CancellationToken cancellationToken)
    {
        _failingSince ??= time.GetTimestamp();
        var reason = Describe(error);
        if (time.GetElapsedTime(_failingSince.Value) >= budget)
        {
            throw new CliException($"Gave up after {_attempts} retries over {budget.TotalSeconds:0} s: {reason}", ExitCodes.Unavailable);
        }
        var delay = TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Min(_attempts, 10)));
        _attempts++;
        report($"{reason.TrimEnd('.')}; retry {_attempts.ToString(CultureInfo.InvariantCulture)} "
            + $"in {delay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
        await Task.Delay(delay, time, cancellationToken);
    }

    public void Reset()
    {
        _attempts = 0;
        _failingSince = null;
    }
}
