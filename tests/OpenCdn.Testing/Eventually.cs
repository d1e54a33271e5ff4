using System.Diagnostics;

namespace OpenCdn.Testing;

/// <summary>
/// Waits on a state instead of for a time: polls until a condition holds, and past the deadline fails with what was
/// awaited and what was last seen. The one poll loop of the tests; a test that waits on time itself uses a fake clock.
/// </summary>
public static class Eventually
{
    /// <summary>How long a state may take to arrive unless the caller says otherwise: generous, since passing tests never wait it out.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns once <paramref name="condition"/> holds; fails after <paramref name="timeout"/> naming <paramref name="what"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        ValueAsync(() => Task.FromResult(condition()), done => done, what, timeout, interval);

    /// <summary>Returns once <paramref name="condition"/> holds; fails after <paramref name="timeout"/> naming <paramref name="what"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        ValueAsync(condition, done => done, what, timeout, interval);

    /// <summary>
    /// Reads <paramref name="probe"/> until <paramref name="done"/> holds for what it returned, and returns that; fails after
    /// <paramref name="timeout"/> with <paramref name="what"/> and the last value read (<paramref name="describe"/>, or its ToString).
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null,
        TimeSpan? interval = null, Func<T, string>? describe = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            if (waited.Elapsed >= limit)
            {
                Assert.Fail($"Waited {limit.TotalSeconds:0.#} s until {what}; last seen: {(describe is null ? value?.ToString() : describe(value))}");
            }
            await Task.Delay(interval ?? DefaultInterval);
        }
    }
}
