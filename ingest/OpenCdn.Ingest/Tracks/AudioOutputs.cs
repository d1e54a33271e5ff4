using System.Globalization;
using OpenCdn.Ingest.Ladder;

namespace OpenCdn.Ingest.Tracks;

/// <summary>
/// The audio outputs of the one ffmpeg command (the master is decoded once; each output has its own filter): every
/// audio stream in AAC-LC stereo, and a stream with 5.1 or more channels also in AAC-LC 5.1 (Chromium decodes AAC 5.1
/// in MSE; it has no E-AC-3 decoder). Each is loudness-normalised to EBU R128 (<see cref="TargetLufs"/>, single-pass
/// <c>loudnorm</c>) and fragmented every 4 s like the video.
/// </summary>
internal static class AudioOutputs
{
    public const int TargetLufs = -23;
    public const int StereoKbps = 128;
    public const int SurroundKbps = 384;
    public const string Loudnorm = "loudnorm=I=-23:TP=-2:LRA=11";

    /// <summary>
    /// The renditions of <paramref name="tracks"/>. The first main stream of a language keeps the plain
    /// <c>audio_{lang}</c> name; others add their role (<c>audio_eng_commentary</c>), then their stream number if needed.
    /// </summary>
    public static IReadOnlyList<AudioRendition> Plan(IReadOnlyList<AudioTrack> tracks)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var renditions = new List<AudioRendition>();
        foreach (var track in tracks)
        {
            var id = $"audio_{track.Language}";
            if (track.Role != "main" || taken.Contains(id))
            {
                id = track.Role == "main" ? $"{id}_{track.Ordinal}" : $"{id}_{track.Role}";
            }
            if (taken.Contains(id))
            {
                id = $"{id}_{track.Ordinal}";
            }
            taken.Add(id);
            var label = track.Title is { Length: > 0 and <= 80 } title && !title.Any(char.IsControl) ? title : LabelOf(track);
            label = renditions.Any(r => r.Label == label) ? $"{label} ({track.Ordinal + 1})" : label;
            renditions.Add(new AudioRendition(id, track.Ordinal, 2, StereoKbps, track.Language, track.Role, label));
            if (track.Channels >= 6)
            {
                renditions.Add(new AudioRendition(id + "_surround", track.Ordinal, 6, SurroundKbps, track.Language, track.Role, label));
            }
        }
        return renditions;
    }

    /// <summary>The output arguments to append to the ladder's ffmpeg command, one output per rendition.</summary>
    public static IReadOnlyList<string> Arguments(string outputFolder, IReadOnlyList<AudioRendition> renditions)
    {
        var args = new List<string>();
        foreach (var r in renditions)
        {
            var layout = r.Channels == 6 ? "5.1" : "stereo";
            args.AddRange(["-map", $"0:a:{r.Ordinal}", "-map_metadata", "-1",
                // Down-mix first, so the loudness measured is the loudness delivered; loudnorm works at 192 kHz, hence the resample after.
                "-filter:a", $"aformat=channel_layouts={layout},{Loudnorm},aformat=sample_rates=48000:channel_layouts={layout}",
                "-c:a", "aac", "-profile:a", "aac_low", "-b:a", r.Kbps.ToString(CultureInfo.InvariantCulture) + "k",
                // Audio has no keyframes to cut on: fragments of 4 s by duration.
                "-frag_duration", (LadderArguments.SegmentSeconds * 1_000_000).ToString(CultureInfo.InvariantCulture),
                "-movflags", "+dash+global_sidx+skip_trailer", "-f", "mp4", Path.Combine(outputFolder, r.FileName)]);
        }
        return args;
    }

    private static string LabelOf(AudioTrack track)
    {
        var language = track.Language == "und" ? "Audio" : LanguageName(track.Language);
        return track.Role switch
        {
            "commentary" => $"{language} (commentary)",
            "description" => $"{language} (audio description)",
            _ => language,
        };
    }

    /// <summary>The English name of a common ISO 639-2 code (the globalization data is invariant here), or the code.</summary>
    private static string LanguageName(string code) => code switch
    {
        "eng" => "English",
        "fra" or "fre" => "French",
        "deu" or "ger" => "German",
        "spa" => "Spanish",
        "ita" => "Italian",
        "por" => "Portuguese",
        "nld" or "dut" => "Dutch",
        "jpn" => "Japanese",
        "zho" or "chi" => "Chinese",
        "kor" => "Korean",
        "rus" => "Russian",
        "ara" => "Arabic",
        "hin" => "Hindi",
        "swe" => "Swedish",
        "pol" => "Polish",
        "tur" => "Turkish",
        _ => code,
    };
}
