using OpenCdn.Ingest.Ladder;
using OpenCdn.Ingest.Probe;
using OpenCdn.Ingest.Tracks;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// Fetches a master from origin into a work folder and probes it. Every job of a chunked encode does this itself, and
/// the probe and the plan are deterministic, so every chunk gets the same ladder and filters.
/// </summary>
internal sealed class MasterSource(IObjectStore origin, WorkFolder work)
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
            return new ProbedMaster(master, info, tracks, VideoFilters.Plan(info));
        }
    }
}
