namespace OpenCdn.FleetSim.Model;

/// <summary>
/// A daily window of whole local hours, <c>[start, end)</c>, wrapping midnight when end &lt; start, all day when equal:
/// the rule of the appliance's fill schedule.
/// </summary>
internal static class Window
{
    public static bool Contains(int startHour, int endHour, int localHour) =>
        startHour == endHour
        || (startHour < endHour ? localHour >= startHour && localHour < endHour : localHour >= startHour || localHour < endHour);
}
