namespace OpenCdn.Ingest.Jobs;

/// <summary>A chunked encode being planned: its package version, its video chunk count, and the parts still to queue.</summary>
internal sealed record ChunkPlan(string TitleId, string MasterKey, int Version, int Count, IReadOnlySet<string> Pending);
