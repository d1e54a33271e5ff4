using System.Text.Json;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Packages;
using OpenCdn.Ingest.Packaging;
using OpenCdn.Ingest.Tracks;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Ingest.Jobs;

/// <summary>
/// The end of every encode, single pass or chunked: describe the encoded folder as a package, publish it
/// (<c>package.json</c> last, so a package without it is never seen), and mark the title ready at that version.
/// </summary>
internal sealed class PackagePublisher(IObjectStore origin, TitleStore titles, WorkFolder work)
{
    /// <summary>False when the title was not transcoding any more (retired, or another run marked it ready first).</summary>
    public async Task<bool> PublishAsync(
        string titleId, int version, string output, ProbedMaster master, CancellationToken cancellationToken)
    {
        PackageManifest package;
        using (JobActivities.StartStage("ingest.package"))
        {
            var audio = AudioOutputs.Plan(master.Tracks.Audio);
            var subtitles = SubtitleOutputs.For(titleId, master.Tracks.Subtitles);
            package = await PackageBuilder.BuildAsync(titleId, version, output, master.Info, master.Video, work.FfOptions, cancellationToken);
            var extra = await TrackRepresentations.BuildAsync(output, master.Info.Duration, audio, subtitles, cancellationToken);
            package = package with
            {
                // Every rendition's sidx subsegments hashed, for players that take bytes from peers.
                Representations = await SegmentHashes.AddAsync(output, [.. package.Representations, .. extra], cancellationToken),
                Notes = subtitles.Notes.Count > 0 ? subtitles.Notes : null,
            };
        }
        using (JobActivities.StartStage("ingest.publish"))
        {
            foreach (var file in package.Files().Select(f => f.Name).Append("poster.jpg"))
            {
                await using var body = File.OpenRead(Path.Combine(output, file));
                await origin.PutAsync(OriginKeys.PackageFile(package.TitleId, package.Version, file), body, cancellationToken);
            }
            using var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(package, PackageJson.Options));
            await origin.PutAsync(OriginKeys.Manifest(package.TitleId, package.Version), json, cancellationToken); // last: it makes the package whole
        }
        using (JobActivities.StartStage("ingest.mark_ready"))
        {
            return await titles.MarkReadyAsync(titleId, version, cancellationToken);
        }
    }
}
