using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using OpenCdn.Catalog;
using OpenCdn.Contracts.Edges;
using OpenCdn.Contracts.Packages;

namespace OpenCdn.SteeringHttp.Bench;

/// <summary>
/// The issue's scale, written where the control plane reads it: 100,000 ready titles (a package.json each in origin),
/// 9,000 embedded edges (900 ISPs × 10, 55 prefixes each: ~500,000 prefixes) and 1,000 IX edges (100 sites × 10), all
/// with a fresh heartbeat: embedded edges hold 300 titles (the head and a random tail), IX edges the top 3,000. Also
/// writes requests.txt: "titleId clientAddress" lines, titles skewed to the head, 70 % of clients inside an edge prefix.
/// </summary>
internal static class Seed
{
    private const int Titles = 100_000;
    private const int Isps = 900;
    private const int EdgesPerIsp = 10;
    private const int PrefixesPerEdge = 55;
    private const int IxSites = 100;
    private const int EdgesPerIx = 10;
    private const long GB = 1_000_000_000;

    public static async Task RunAsync(string dataFolder)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(42);
        Directory.CreateDirectory(dataFolder);
        var database = CatalogDatabase.Create($"Data Source={Path.Combine(dataFolder, "catalog.db")}");
        await database.MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var titleIds = Enumerable.Range(0, Titles).Select(i => $"t{i:D6}").ToArray();
        await using var connection = (SqliteConnection)await database.OpenAsync(CancellationToken.None);

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var id in titleIds)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO titles (id, name, status, progress, package_version, created_at, updated_at) "
                    + "VALUES (@id, @id, 'Ready', 100, 1, @now, @now)",
                    new { id, now }, transaction);
                WritePackage(dataFolder, id, random.NextInt64(1, 5) * GB);
            }
            await transaction.CommitAsync();
        }
        Console.WriteLine($"titles: {Titles:N0} in {clock.Elapsed.TotalSeconds:F1} s");

        var clientPrefixes = new List<(uint Network, int Length)>();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var isp = 0; isp < Isps; isp++)
            {
                var aggregate = (uint)(isp + 16) << 18; // a /14 per ISP
                for (var e = 0; e < EdgesPerIsp; e++)
                {
                    var prefixes = new List<string> { $"{Address(aggregate)}/14" };
                    for (var p = 0; p < PrefixesPerEdge - 1; p++)
                    {
                        var length = random.Next(22, 25);
                        var network = (aggregate | ((uint)random.Next(1 << 18) & ~0u)) & (uint.MaxValue << (32 - length));
                        prefixes.Add($"{Address(network)}/{length}");
                        clientPrefixes.Add((network, length));
                    }
                    var held = Enumerable.Range(0, 250).Concat(Enumerable.Range(0, 50).Select(_ => random.Next(250, 20_000)));
                    await InsertEdgeAsync(connection, transaction, $"isp{isp}-{e}", new RegisterEdgeRequest(
                        $"isp{isp}-{e}", new Uri($"https://isp{isp}-{e}.cdn.example/"), EdgeSiteKind.Embedded, 64_512 + isp, $"isp{isp}",
                        null, null, prefixes, 3_000 * GB, 40 * GB, FillWindow.Default, 50_000_000), held, titleIds, random, now);
                }
            }
            for (var site = 0; site < IxSites; site++)
            {
                var (lat, lon) = ((random.NextDouble() * 130) - 60, (random.NextDouble() * 360) - 180);
                for (var e = 0; e < EdgesPerIx; e++)
                {
                    await InsertEdgeAsync(connection, transaction, $"ix{site}-{e}", new RegisterEdgeRequest(
                        $"ix{site}-{e}", new Uri($"https://ix{site}-{e}.cdn.example/"), EdgeSiteKind.IX, null, null, lat, lon, [],
                        60_000 * GB, 100 * GB, FillWindow.Default, 50_000_000), Enumerable.Range(0, 3_000), titleIds, random, now);
                }
            }
            await transaction.CommitAsync();
        }
        Console.WriteLine($"edges: {Isps * EdgesPerIsp + IxSites * EdgesPerIx:N0}, prefixes: {Isps * EdgesPerIsp * PrefixesPerEdge:N0}, "
            + $"in {clock.Elapsed.TotalSeconds:F1} s");

        await using var requests = new StreamWriter(Path.Combine(dataFolder, "requests.txt"));
        for (var i = 0; i < 200_000; i++)
        {
            var title = titleIds[(int)(Titles * Math.Pow(random.NextDouble(), 10))];
            var client = random.NextDouble() < 0.7
                ? clientPrefixes[random.Next(clientPrefixes.Count)] is var (network, length)
                    ? network | ((uint)random.Next() & ~(uint.MaxValue << (32 - length)))
                    : 0
                : (uint)random.NextInt64(1u << 24, 0xDFFF_FFFF);
            await requests.WriteLineAsync($"{title} {Address(client)}");
        }
        Console.WriteLine($"seeded in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task InsertEdgeAsync(SqliteConnection connection, System.Data.Common.DbTransaction transaction, string id,
        RegisterEdgeRequest registration, IEnumerable<int> held, string[] titleIds, Random random, long now)
    {
        var heartbeat = new EdgeHeartbeat(EdgeHealth.Healthy, 100, (long)(random.NextDouble() * 0.8 * registration.EgressCapacityBitsPerSecond),
            100 * GB, [.. held.Distinct().Select(t => new InventoryItem(titleIds[t], 1))], new FillProgress(1, false, 0, 0, 0, 0));
        await connection.ExecuteAsync(
            "INSERT INTO edges (id, name, credential_hash, registration, heartbeat, last_heartbeat, registered_at) "
            + "VALUES (@id, @id, 'x', @registration, @heartbeat, @now, @now)",
            new
            {
                id,
                registration = JsonSerializer.Serialize(registration, JsonSerializerOptions.Web),
                heartbeat = JsonSerializer.Serialize(heartbeat, JsonSerializerOptions.Web),
                now,
            }, transaction);
    }

    private static void WritePackage(string dataFolder, string titleId, long videoSize)
    {
        var folder = Path.Combine(dataFolder, "origin", "objects", "titles", titleId, "v1");
        Directory.CreateDirectory(folder);
        var package = new PackageManifest(titleId, 1, 5400,
        [
            new Representation(
                "video_1080p", MediaKind.Video, "video_1080p.mp4", "video/mp4", "avc1.640028", 5_000_000, videoSize, new string('a', 64),
                new ByteSpan(0, 900), new ByteSpan(901, 16000), 12800, 0, Width: 1920, Height: 1080, FrameRate: "25"),
            new Representation(
                "video_720p", MediaKind.Video, "video_720p.mp4", "video/mp4", "avc1.64001f", 3_000_000, videoSize / 2, new string('b', 64),
                new ByteSpan(0, 900), new ByteSpan(901, 16000), 12800, 0, Width: 1280, Height: 720, FrameRate: "25"),
            new Representation(
                "video_360p", MediaKind.Video, "video_360p.mp4", "video/mp4", "avc1.64001e", 800_000, videoSize / 6, new string('c', 64),
                new ByteSpan(0, 900), new ByteSpan(901, 16000), 12800, 0, Width: 640, Height: 360, FrameRate: "25"),
            new Representation("audio_eng", MediaKind.Audio, "audio_eng.mp4", "audio/mp4", "mp4a.40.2", 128_000, videoSize / 40, new string('d', 64),
                new ByteSpan(0, 700), new ByteSpan(701, 15000), 48000, 0, SampleRate: 48000, Channels: 2, Language: "eng"),
        ]);
        File.WriteAllBytes(Path.Combine(folder, PackageManifest.FileName), JsonSerializer.SerializeToUtf8Bytes(package, PackageJson.Options));
    }

    private static string Address(uint value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}");
}
