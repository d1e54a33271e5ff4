using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using OpenCdn.Catalog;
using OpenCdn.Catalog.Keys;
using OpenCdn.ControlPlane.Auth;

namespace OpenCdn.SteeringHttp.Bench;

/// <summary>
/// The reference: the same Kestrel, the same JWT bearer validation (and token cache) with the control plane's key and the same route
/// shape, answering a fixed MPD of the benchmark's size. The ratio to it is what steering itself costs.
/// </summary>
internal static class Baseline
{
    private static readonly int[] Heights = [1080, 720, 360];

    public static async Task RunAsync(string dataFolder, string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var key = new SymmetricSecurityKey(await JwtKeyAsync(dataFolder)) { KeyId = "embedded" };
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters.RoleClaimType = "role";
            jwt.TokenValidationParameters.NameClaimType = "sub";
            jwt.TokenValidationParameters.ValidAudience = "opencdn";
            jwt.TokenValidationParameters.ValidIssuer = "opencdn";
            jwt.TokenValidationParameters.IssuerSigningKey = key;
            ValidatedTokenCache.Wrap(jwt.TokenHandlers, TimeProvider.System);
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy("viewer", policy => policy.RequireRole("viewer", "admin"));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        var mpd = FixedMpd();
        app.MapPost("/api/v1/playback/{titleId}", (string titleId) => Results.Content(mpd, "application/dash+xml")).RequireAuthorization("viewer");
        await app.RunAsync();
    }

    /// <summary>The control plane's JWT key, as it keeps it on embedded defaults: in the catalog, under the generated key-encryption key.</summary>
    private static async Task<byte[]> JwtKeyAsync(string dataFolder)
    {
        var kek = await File.ReadAllBytesAsync(Path.Combine(dataFolder, "keys", KeyEncryptionKeySource.GeneratedFileName));
        await using var database = CatalogDatabase.Create($"Data Source={Path.Combine(dataFolder, "catalog.db")}");
        return (await new SecretStore(database, new LocalKeyEncryptionKey(kek, "the control plane's")).ListAsync("jwt", default))[0].Value;
    }

    /// <summary>An MPD as large as a session's: three BaseURLs, a ContentSteering element, three video and one audio representation.</summary>
    private static string FixedMpd()
    {
        var baseUrls = string.Concat(Enumerable.Range(1, 3).Select(i =>
            $"<BaseURL serviceLocation=\"e{i}\" dvb:priority=\"{i}\" dvb:weight=\"100\">"
            + $"https://edge{i}.cdn.example/c/k1795628695.1795657647.0Wb_rPH61lY3aTlxPLQWey46g_k2xOYlcFdqHvG5Acs/t000001/v1/</BaseURL>"));
        var video = string.Concat(Heights.Select(h =>
            $"<Representation id=\"video_{h}p\" codecs=\"avc1.640028\" bandwidth=\"{h * 4000}\" height=\"{h}\" frameRate=\"25\" sar=\"1:1\">"
            + $"<BaseURL>video_{h}p.mp4</BaseURL><SegmentBase indexRange=\"901-16000\" indexRangeExact=\"true\" timescale=\"12800\">"
            + "<Initialization range=\"0-900\" /></SegmentBase></Representation>"));
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<MPD xmlns:dvb=\"urn:dvb:dash:dash-extensions:2014-1\" "
            + "profiles=\"urn:mpeg:dash:profile:isoff-on-demand:2011\" type=\"static\" mediaPresentationDuration=\"PT5400S\" minBufferTime=\"PT2S\" "
            + "xmlns=\"urn:mpeg:dash:schema:mpd:2011\">"
            + baseUrls
            + "<ContentSteering defaultServiceLocation=\"e1\" queryBeforeStart=\"false\">"
            + "https://control.example/api/v1/steering/session</ContentSteering>"
            + "<Period id=\"0\" start=\"PT0S\" duration=\"PT5400S\"><AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\">" + video
            + "</AdaptationSet><AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"eng\">"
            + "<Representation id=\"audio_eng\" codecs=\"mp4a.40.2\" bandwidth=\"128000\"><BaseURL>audio_eng.mp4</BaseURL>"
            + "<SegmentBase indexRange=\"701-15000\" timescale=\"48000\"><Initialization range=\"0-700\" /></SegmentBase></Representation>"
            + "</AdaptationSet></Period></MPD>";
    }
}
