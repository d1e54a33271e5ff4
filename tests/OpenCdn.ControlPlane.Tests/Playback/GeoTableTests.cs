using System.Net;
using OpenCdn.ControlPlane.Fleet;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Playback;

/// <summary>The geo table places clients no edge prefix covers, so they reach the nearest exchange.</summary>
public sealed class GeoTableTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task AClientTheGeoTablePlacesInMadrid_IsSteeredToTheMadridExchangeFirst()
    {
        var table = _folder.Combine("geo.csv");
        await File.WriteAllTextAsync(
            table, "# prefix,latitude,longitude,region\n127.0.99.0/24, 40.42, -3.70, es-madrid\n\n127.0.98.0/24,48.86,2.35,fr-paris\n");
        await using var bed = new PlaybackBed(new Dictionary<string, string> { ["OpenCdn:Fleet:GeoTable"] = table });
        var title = await bed.AddReadyTitleAsync();
        await bed.SyncAsync();
        var paris = await bed.EnrollAsync(PlaybackBed.Ix("paris", 48.85, 2.35));
        var madrid = await bed.EnrollAsync(PlaybackBed.Ix("madrid", 40.41, -3.70));
        await PlaybackBed.BeatAsync(paris, [title]);
        await PlaybackBed.BeatAsync(madrid, [title]);
        await bed.SyncAsync();
        using var inMadrid = await bed.ViewerFromAsync("127.0.99.20");
        using var inParis = await bed.ViewerFromAsync("127.0.98.20");

        var fromMadrid = await PlaybackBed.PlayAsync(inMadrid, title);
        var fromParis = await PlaybackBed.PlayAsync(inParis, title);

        Assert.Equal(HttpStatusCode.OK, fromMadrid.Status);
        Assert.Equal([madrid.Id, paris.Id, "origin"], PlaybackBed.ServerIds(fromMadrid.Body));
        Assert.Equal([paris.Id, madrid.Id, "origin"], PlaybackBed.ServerIds(fromParis.Body));
    }

    [Fact]
    public async Task ABadLine_IsNamedWithItsNumberAndReason()
    {
        var table = _folder.Combine("bad.csv");
        await File.WriteAllTextAsync(table, "127.0.99.0/24,40.42,-3.70,es-madrid\n127.0.98.0/33,48.86,2.35,fr-paris\n");

        var error = Assert.Throws<InvalidDataException>(() => GeoTable.Load(table));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.98.0/33", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
