using System.Buffers.Binary;
using System.Globalization;

namespace OpenCdn.Testing;

/// <summary>
/// Masters a studio would send, made with ffmpeg at test time: a film with several audio tracks and embedded text
/// subtitles, and a master whose only subtitles are a bitmap (PGS) stream.
/// </summary>
public static class StudioMasters
{
    public const string EnglishCue = "Hello from the English track";
    public const string FrenchCue = "Bonjour de la piste française";

    /// <summary>
    /// 320x240 at 25 fps, and in this order: English stereo (a quiet 440 Hz tone), French 5.1 (a tone per channel),
    /// English commentary (disposition <c>comment</c>, 660 Hz); English and French subtitles (mov_text, from SRT), each one
    /// cue over the whole film.
    /// </summary>
    public static async Task<string> FilmAsync(string folder, double seconds)
    {
        var d = seconds.ToString(CultureInfo.InvariantCulture);
        var end = TimeSpan.FromSeconds(seconds - 0.2).ToString(@"hh\:mm\:ss\,fff", CultureInfo.InvariantCulture);
        var eng = Path.Combine(folder, "film.eng.srt");
        var fra = Path.Combine(folder, "film.fra.srt");
        await File.WriteAllTextAsync(eng, $"1\n00:00:00,000 --> {end}\n{EnglishCue}\n\n");
        await File.WriteAllTextAsync(fra, $"1\n00:00:00,000 --> {end}\n{FrenchCue}\n\n");
        var path = Path.Combine(folder, "film.mp4");
        await Ffmpeg.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size=320x240:rate=25:duration={d}",
            "-f", "lavfi", "-i", $"aevalsrc=0.05*sin(440*2*PI*t)|0.05*sin(440*2*PI*t):c=stereo:s=48000:d={d}",
            "-f", "lavfi", "-i", $"aevalsrc=0.5*sin(330*2*PI*t)|0.5*sin(330*2*PI*t)|0.4*sin(550*2*PI*t)|0.2*sin(60*2*PI*t)"
                + $"|0.3*sin(770*2*PI*t)|0.3*sin(880*2*PI*t):c=5.1:s=48000:d={d}",
            "-f", "lavfi", "-i", $"aevalsrc=0.3*sin(660*2*PI*t)|0.3*sin(660*2*PI*t):c=stereo:s=44100:d={d}",
            "-i", eng, "-i", fra,
            "-map", "0", "-map", "1", "-map", "2", "-map", "3", "-map", "4", "-map", "5",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-c:s", "mov_text",
            "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra", "-metadata:s:a:2", "language=eng",
            "-disposition:a:0", "default", "-disposition:a:2", "comment",
            "-metadata:s:s:0", "language=eng", "-metadata:s:s:1", "language=fra", path]);
        return path;
    }

    /// <summary>
    /// 320x240 with a stereo tone and one English PGS (hdmv_pgs_subtitle) stream in Matroska. ffmpeg cannot encode PGS,
    /// so the .sup stream is written here by hand: one white 64x16 caption from 0.5 s, cleared at 5 s.
    /// </summary>
    public static async Task<string> BitmapSubtitledAsync(string folder, double seconds)
    {
        var sup = Path.Combine(folder, "captions.sup");
        await File.WriteAllBytesAsync(sup, [.. PgsDisplaySet(45_000, show: true), .. PgsDisplaySet(450_000, show: false)]);
        var d = seconds.ToString(CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, "pgs.mkv");
        await Ffmpeg.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size=320x240:rate=25:duration={d}",
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={d}", "-i", sup,
            "-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            "-c:s", "copy", "-metadata:s:s:0", "language=eng", path]);
        return path;
    }

    /// <summary>A PGS display set (PCS, WDS, PDS, ODS, END): a 64x16 white box at (100, 200), or (show: false) a clear.</summary>
    private static byte[] PgsDisplaySet(uint pts, bool show)
    {
        const int width = 64, height = 16;
        var set = new List<byte>();
        void Segment(byte type, byte[] data)
        {
            var header = new byte[13];
            header[0] = (byte)'P';
            header[1] = (byte)'G';
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), pts);
            header[10] = type;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(11), (ushort)data.Length);
            set.AddRange(header);
            set.AddRange(data);
        }
        // Presentation composition: 320x240, 25 fps code 0x10; epoch start with one object, or a normal case with none.
        Segment(0x16, show
            ? [1, 64, 0, 240, 0x10, 0, 0, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 100, 0, 200]
            : [1, 64, 0, 240, 0x10, 0, 1, 0x00, 0, 0, 0]);
        Segment(0x17, [1, 0, 0, 100, 0, 200, 0, width, 0, height]);
        if (show)
        {
            Segment(0x14, [0, 0, 1, 235, 128, 128, 255]); // palette entry 1: white, opaque
            var line = new byte[] { 0, 0xC0, width, 1, 0, 0 }; // 64 pixels of colour 1, end of line
            var rle = Enumerable.Repeat(line, height).SelectMany(b => b).ToArray();
            var length = rle.Length + 4;
            Segment(0x15, [0, 0, 0, 0xC0, (byte)(length >> 16), (byte)(length >> 8), (byte)length, 0, width, 0, height, .. rle]);
        }
        Segment(0x80, []);
        return [.. set];
    }
}
