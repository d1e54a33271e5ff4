using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Jobs;
using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;
using OpenCdn.Ingest.Tracks;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Fetches a master from origin into a folder and probes it. Every worker taking parts of a chunked encode does this itself
/// (once per master, through its <see cref="MasterCache"/>), and the probe and the plan are deterministic, so every chunk
/// gets the same filters; the rungs the planning worker chose (from the chunk job) replace the plan's (<see cref="WithRungs"/>).
/// </summary>
internal sealed class MasterSource(IObjectStore origin, WorkFolder work, IOptions<Av1Options> av1)
{
    public async Task<ProbedMaster> FetchAsync(string masterKey, string folder, CancellationToken cancellationToken)
    {
        var master = Path.Combine(folder, "master");
        using (JobActivities.StartStage("ingest.fetch_master"))
        await using (var source = await origin.GetAsync(masterKey, null, cancellationToken)
            ?? throw new MasterRejectedException(FailureKind.MasterMissing, $"{masterKey} is missing from origin"))
        await using (var target = File.Create(master))
        {
            await source.Body.CopyToAsync(target, cancellationToken);
        }
        using (JobActivities.StartStage("ingest.probe"))
        {
            var info = await MasterProbe.ProbeAsync(master, work.FfOptions, cancellationToken);
            var tracks = await TrackProbe.ProbeAsync(work.Ffprobe, master, cancellationToken);
            var plan = VideoFilters.Plan(info) with { Av1 = Av1Encoding.From(av1.Value) };
            return new ProbedMaster(master, info, tracks, plan);
        }
    }

    /// <summary>The master with the ladder a chunk job names (none: the plan's own).</summary>
    public static ProbedMaster WithRungs(ProbedMaster master, IReadOnlyList<ChunkRung>? rungs) =>
        rungs is null ? master : master with { Video = master.Video with { Rungs = Chosen(master.Video.Rungs, rungs) } };

    /// <summary>The plan's rungs as the chunk job names them; a rung the plan does not have is a malformed job.</summary>
    private static Rung[] Chosen(IReadOnlyList<Rung> planned, IReadOnlyList<ChunkRung> chosen) =>
    [
        .. chosen.Select(c => (planned.FirstOrDefault(r => r.ShortSide == c.ShortSide)
            ?? throw new InvalidDataException($"the chunk job names a {c.ShortSide}p rung this master's plan does not have"))
            with { Kbps = c.Kbps, Crf = c.Crf }),
    ];
}
