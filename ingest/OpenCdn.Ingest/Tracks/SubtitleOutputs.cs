using System.Globalization;

namespace OpenCdn.Ingest.Tracks;

/// <summary>
/// Embedded text subtitles (SRT, ASS/SSA, mov_text, WebVTT) become one WebVTT file each, <c>subtitles_{lang}.vtt</c>,
/// written by the same ffmpeg command as the ladder. Bitmap subtitles (PGS, DVB, DVD) cannot become text without OCR:
/// they are left out, and the package says so in a note; the title still succeeds.
/// </summary>
internal static class SubtitleOutputs
{
    public sealed record Plan(IReadOnlyList<(SubtitleTrack Track, string Id)> Text, IReadOnlyList<string> Notes);

    public static Plan For(string titleId, IReadOnlyList<SubtitleTrack> tracks)
    {
        var text = new List<(SubtitleTrack, string)>();
        var notes = new List<string>();
        foreach (var track in tracks)
        {
            if (track.IsText)
            {
                var id = $"subtitles_{track.Language}";
                text.Add((track, text.Any(t => t.Item2 == id) ? $"{id}_{track.Ordinal}" : id));
            }
            else
            {
                var what = track.IsBitmap ? "is a bitmap subtitle (pictures, not text)" : "is in a subtitle format OpenCdn does not convert";
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Subtitle stream {track.Ordinal + 1} ({track.Codec}, language '{track.Language}') {what}; it was left out. "
                    + $"Add it as SRT or WebVTT with PUT /api/v1/titles/{titleId}/subtitles/{track.Language}."));
            }
        }
        return new Plan(text, notes);
    }

    public static IReadOnlyList<string> Arguments(string outputFolder, Plan plan) =>
        plan.Text.SelectMany(t => (string[])["-map", $"0:s:{t.Track.Ordinal}", "-map_metadata", "-1", "-c:s", "webvtt", "-f", "webvtt",
            Path.Combine(outputFolder, t.Id + ".vtt")]).ToList();
}
