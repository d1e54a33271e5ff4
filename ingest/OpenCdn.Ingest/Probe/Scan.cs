namespace OpenCdn.Ingest.Probe;

/// <summary>How the master's frames were made, as the ladder must undo it.</summary>
internal enum ScanKind
{
    Progressive,

    /// <summary>Each field is its own moment (25i sport, 1080i news): deinterlaced to the field rate.</summary>
    Interlaced,

    /// <summary>Progressive film spread over fields by 3:2 pulldown (23.976 → 29.97): fields matched back, repeats dropped.</summary>
    Telecined,
}

/// <summary>The scan decision and the field that comes first in time.</summary>
internal sealed record Scan(ScanKind Kind, bool TopFieldFirst)
{
    public static Scan Progressive { get; } = new(ScanKind.Progressive, true);

    public override string ToString() =>
        Kind == ScanKind.Progressive ? "progressive" : $"{Kind.ToString().ToLowerInvariant()} {(TopFieldFirst ? "tff" : "bff")}";
}
