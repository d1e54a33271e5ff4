using System.Diagnostics;
using System.Text.Json;

namespace OpenCdn.Ingest.Tracks;

/// <summary>
/// Reads every audio and subtitle stream of a master with <c>ffprobe -show_streams -of json</c> (an argument list, never
/// a shell string): FFMpegCore's analysis does not carry dispositions, and the DASH roles come from them.
/// </summary>
internal static class TrackProbe
{
    private const int MaxTracks = 32;

    public static async Task<MasterTracks> ProbeAsync(string ffprobe, string master, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(ffprobe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-v", "error", "-show_streams", "-of", "json", master])
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"'{ffprobe}' could not be started.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        JsonDocument json;
        try
        {
            json = await JsonDocument.ParseAsync(process.StandardOutput.BaseStream, cancellationToken: cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        using (json)
        {
            if (process.ExitCode != 0)
            {
                throw new InvalidDataException($"ffprobe exited with {process.ExitCode}: {await stderr}");
            }
            return Read(json.RootElement);
        }
    }

    internal static MasterTracks Read(JsonElement root)
    {
        var audio = new List<AudioTrack>();
        var subtitles = new List<SubtitleTrack>();
        if (!root.TryGetProperty("streams", out var streams) || streams.ValueKind != JsonValueKind.Array)
        {
            return MasterTracks.None;
        }
        foreach (var stream in streams.EnumerateArray())
        {
            switch (Text(stream, "codec_type"))
            {
                case "audio" when audio.Count < MaxTracks:
                    audio.Add(new AudioTrack(
                        audio.Count, LanguageOf(stream), stream.TryGetProperty("channels", out var c) && c.TryGetInt32(out var n) ? n : 2,
                        Text(stream, "channel_layout"), RoleOf(stream), Tag(stream, "title")));
                    break;
                case "subtitle" when subtitles.Count < MaxTracks:
                    subtitles.Add(new SubtitleTrack(subtitles.Count, LanguageOf(stream), Text(stream, "codec_name") ?? "unknown"));
                    break;
            }
        }
        return new MasterTracks(audio, subtitles);
    }

    /// <summary>An ISO 639 code as the stream's tag spells it, lower case; <c>und</c> when missing or not a code.</summary>
    private static string LanguageOf(JsonElement stream) =>
        Tag(stream, "language") is { Length: >= 2 and <= 3 } tag && tag.All(char.IsAsciiLetter) ? tag.ToLowerInvariant() : "und";

    private static string RoleOf(JsonElement stream)
    {
        if (!stream.TryGetProperty("disposition", out var disposition))
        {
            return "main";
        }
        bool Set(string name) => disposition.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) && i == 1;
        return Set("comment") ? "commentary" : Set("visual_impaired") || Set("descriptions") ? "description" : "main";
    }

    private static string? Tag(JsonElement stream, string name) =>
        stream.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
            ? tags.EnumerateObject().Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null).FirstOrDefault()
            : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
