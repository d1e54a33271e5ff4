namespace OpenCdn.Cli.Uploads;

/// <summary>How an upload is sent: bytes per PATCH, and an optional average rate limit in bytes per second.</summary>
internal sealed record SendSettings(long ChunkSize, long? BytesPerSecond);
