using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Hosting;

namespace OpenCdn.Edge.Fill;

/// <summary>
/// The off-peak window in the edge's own time zone: <c>[Start, End)</c> local time, wrapping midnight when End &lt;
/// Start; Start = End is all day.
/// </summary>
internal sealed class FillSchedule(IOptions<EdgeOptions> options, TimeProvider time)
{
    private readonly FillWindow _window = options.Value.FillWindow;
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.FillWindowTimeZone);

    public bool IsOpen() => IsOpen(_window, _zone, time.GetUtcNow());

    public static bool IsOpen(FillWindow window, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (window.Start == window.End)
        {
            return true;
        }
        return window.Start < window.End
            ? local >= window.Start && local < window.End
            : local >= window.Start || local < window.End;
    }
}
