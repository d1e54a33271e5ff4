using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenCdn.Catalog.Titles;
using OpenCdn.Contracts.Packages;
using OpenCdn.ControlPlane.Packages;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Subtitles;

/// <summary>
/// Adds (or replaces) one language's subtitles of a ready title by publishing a new package version: the current
/// version's files are copied in origin to <c>v{n+1}</c> (nothing is encoded again), the WebVTT file is written beside
/// them, then <c>package.json</c> (last, as ingest does), and only then does the catalog move the title to the new version,
/// if it is still ready at the version read. Fill then moves edges to the new version like any other.
/// </summary>
internal sealed partial class SubtitlePublisher(IObjectStore origin, TitleStore titles, PackageReader packages, ILogger<SubtitlePublisher> logger)
    : IDisposable
{
    /// <summary>One publication at a time in this process, so two uploads never write the same new version.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);

    public enum Outcome
    {
        Published,
        NotFound,
        NotReady,
        Conflict,
    }

    public async Task<(Outcome Outcome, int Version)> PublishAsync(
        string titleId, string language, string webVtt, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var title = await titles.GetAsync(titleId, cancellationToken);
            if (title is null)
            {
                return (Outcome.NotFound, 0);
            }
            if (title.Status != TitleStatus.Ready)
            {
                return (Outcome.NotReady, title.PackageVersion);
            }
            var current = await packages.ReadAsync(titleId, title.PackageVersion, cancellationToken);
            if (current is null)
            {
                return (Outcome.NotReady, title.PackageVersion);
            }
            var version = current.Version + 1;
            var file = $"subtitles_{language}.vtt";
            var kept = current.Representations.Where(r => !(r.Kind == MediaKind.Text && (r.Language == language || r.File == file))).ToList();
            var carried = current with { Representations = kept };
            foreach (var name in carried.Files().Select(f => f.Name).Append("poster.jpg"))
            {
                await CopyAsync(titleId, current.Version, version, name, cancellationToken);
            }
            var bytes = Encoding.UTF8.GetBytes(webVtt);
            using (var body = new MemoryStream(bytes))
            {
                await origin.PutAsync(OriginKeys.PackageFile(titleId, version, file), body, cancellationToken);
            }
            var text = new Representation(
                $"subtitles_{language}", MediaKind.Text, file, "text/vtt", "",
                (int)Math.Max(1000, bytes.Length * 8 / Math.Max(1, current.DurationSeconds)), bytes.Length,
                Convert.ToHexStringLower(SHA256.HashData(bytes)), null, null, 1000, 0, Language: language, Role: "subtitle");
            var package = carried with { Version = version, Representations = [.. kept, text] };
            using (var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(package, PackageJson.Options)))
            {
                await origin.PutAsync(OriginKeys.Manifest(titleId, version), json, cancellationToken);
            }
            if (!await titles.MovePackageVersionAsync(titleId, current.Version, version, cancellationToken))
            {
                return (Outcome.Conflict, title.PackageVersion);
            }
            Log.Published(logger, titleId, language, version);
            return (Outcome.Published, version);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task CopyAsync(string titleId, int from, int to, string file, CancellationToken cancellationToken)
    {
        await using var source = await origin.GetAsync(OriginKeys.PackageFile(titleId, from, file), null, cancellationToken);
        if (source is null)
        {
            if (file == "poster.jpg")
            {
                return;
            }
            throw new InvalidOperationException($"Origin lost '{file}' of title {titleId} v{from}.");
        }
        await origin.PutAsync(OriginKeys.PackageFile(titleId, to, file), source.Body, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(230, LogLevel.Information, "Title {TitleId}: subtitles '{Language}' added; package v{Version} published")]
        public static partial void Published(ILogger logger, string titleId, string language, int version);
    }
}
