using OpenCdn.ControlPlane.Playback;

namespace OpenCdn.ControlPlane.Qoe;

/// <summary>The shape and bounds a beacon must have; anything outside is the client's mistake (400), never stored.</summary>
internal static class QoeRules
{
    public const int MaxIdLength = 64;
    public const double MaxStartupMs = 10 * 60_000;
    public const double MaxStallMs = 60 * 60_000;
    public const int MaxCount = 10_000;
    public const int MaxStallsPerBeacon = 100;
    public const double MaxKbps = 100_000_000;
    public const long MaxBytesPerBeacon = 64L << 30;

    public static Dictionary<string, string[]> Check(QoeBeacon? beacon)
    {
        var errors = new Dictionary<string, string[]>();
        if (beacon is null)
        {
            errors["beacon"] = ["A JSON body is required."];
            return errors;
        }
        if (string.IsNullOrEmpty(beacon.SessionId) || beacon.SessionId.Length > SessionCodec.MaxLength)
        {
            errors["sessionId"] = ["The playback session id is required."];
        }
        Id(errors, "titleId", beacon.TitleId);
        Id(errors, "server", beacon.Server);
        Range(errors, "startupMs", beacon.StartupMs, MaxStartupMs);
        if (beacon.StallsMs is { } stalls
            && (stalls.Count > MaxStallsPerBeacon || stalls.Any(ms => !double.IsFinite(ms) || ms < 0 || ms > MaxStallMs)))
        {
            errors["stallsMs"] = [$"At most {MaxStallsPerBeacon} durations, each between 0 and {MaxStallMs} ms."];
        }
        Range(errors, "throughputKbps", beacon.ThroughputKbps, MaxKbps);
        Range(errors, "bitrateKbps", beacon.BitrateKbps, MaxKbps);
        Range(errors, "peerBytes", beacon.PeerBytes, MaxBytesPerBeacon);
        Range(errors, "serverBytes", beacon.ServerBytes, MaxBytesPerBeacon);
        if (beacon.PeerFailures is < 0 or > MaxCount)
        {
            errors["peerFailures"] = [$"Between 0 and {MaxCount}."];
        }
        if (beacon.BitrateSwitches is < 0 or > MaxCount)
        {
            errors["bitrateSwitches"] = [$"Between 0 and {MaxCount}."];
        }
        return errors;
    }

    /// <summary>Ids are short tokens of letters, digits, '-', '_' and '.': they become map keys and metric labels.</summary>
    public static bool IsId(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxIdLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void Id(Dictionary<string, string[]> errors, string name, string? value)
    {
        if (!IsId(value))
        {
            errors[name] = [$"1 to {MaxIdLength} characters of letters, digits, '-', '_' or '.'."];
        }
    }

    private static void Range(Dictionary<string, string[]> errors, string name, double? value, double max)
    {
        if (value is { } v && (!double.IsFinite(v) || v < 0 || v > max))
        {
            errors[name] = [$"Between 0 and {max}."];
        }
    }
}
