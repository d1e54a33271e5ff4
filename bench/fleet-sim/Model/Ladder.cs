namespace OpenCdn.FleetSim.Model;

/// <summary>
/// The ingest worker's standard ladder (1080p 5000k, 720p 3000k, 480p 1200k, 360p 600k, 240p 300k) plus AAC 128k: a
/// package holds every rung, a play streams one rung (the share of plays per rung below) and the audio.
/// </summary>
internal static class Ladder
{
    public const int AudioKbps = 128;

    public static readonly int[] Heights = [1080, 720, 480, 360, 240];

    public static readonly int[] VideoKbps = [5000, 3000, 1200, 600, 300];

    /// <summary>Share of plays on each rung (most viewers on broadband at the top rungs).</summary>
    public static readonly double[] PlayShare = [0.55, 0.25, 0.12, 0.06, 0.02];

    public static int Rungs => Heights.Length;

    /// <summary>Bytes per second of a play on <paramref name="rung"/>, audio included.</summary>
    public static double PlayBytesPerSecond(int rung) => (VideoKbps[rung] + AudioKbps) * 125.0;

    public static long FileBytes(int kbps, int seconds) => (long)kbps * 125 * seconds;
}
