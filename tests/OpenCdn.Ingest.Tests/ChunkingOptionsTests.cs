using OpenCdn.Testing;

namespace OpenCdn.Ingest.Tests;

/// <summary>A worker refuses to start on a chunking setting that would cut chunks off the 4-s segments, and says why.</summary>
public sealed class ChunkingOptionsTests
{
    [Theory]
    [InlineData("10", "600", "must be a multiple of the 4-s segment")]
    [InlineData("60", "30", "must be 0 (off) or at least ChunkSeconds")]
    public async Task BadChunkingSettings_StopTheWorkerAtStart_WithTheReason(string chunkSeconds, string threshold, string reason)
    {
        using var data = new TempFolder();
        await using var worker = ChildProcess.Start("dotnet", [RepoPaths.BuiltAssembly("ingest/OpenCdn.Ingest", "OpenCdn.Ingest")],
            environment: new Dictionary<string, string>
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["OpenCdn__DataFolder"] = data.Path,
                ["OpenCdn__Ingest__Chunking__ChunkSeconds"] = chunkSeconds,
                ["OpenCdn__Ingest__Chunking__ThresholdSeconds"] = threshold,
            });

        Assert.NotEqual(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(reason, worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("waiting for transcode jobs", worker.Output, StringComparison.Ordinal);
    }
}
