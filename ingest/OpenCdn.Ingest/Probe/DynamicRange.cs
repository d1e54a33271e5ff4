namespace OpenCdn.Ingest.Probe;

/// <summary>The master's transfer characteristic as far as the ladder cares: SDR, or one of the two HDR transfers.</summary>
internal enum DynamicRange
{
    Sdr,

    /// <summary>HDR10: SMPTE ST 2084 (<c>smpte2084</c>).</summary>
    Pq,

    /// <summary>Hybrid log-gamma: ARIB STD-B67 (<c>arib-std-b67</c>).</summary>
    Hlg,
}
