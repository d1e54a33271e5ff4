using System.Text.Json;

namespace OpenCdn.Web.Tests;

/// <summary>Reading a player's event log (see wwwroot/js/event-log.js).</summary>
internal static class PlayerEvents
{
    public static IEnumerable<JsonElement> OfKind(this JsonElement log, string kind) =>
        log.EnumerateArray().Where(e => e.GetProperty("event").GetString() == kind);

    public static IReadOnlyList<string> Errors(this JsonElement log) => [.. log.OfKind("error").Select(e => e.GetRawText())];

    /// <summary>Heights of the video fragments downloaded, in order.</summary>
    public static IReadOnlyList<int> FragmentHeights(this JsonElement log) =>
        [.. log.OfKind("fragment").Select(e => e.TryGetProperty("height", out var h) && h.ValueKind == JsonValueKind.Number ? h.GetInt32() : 0)];
}
