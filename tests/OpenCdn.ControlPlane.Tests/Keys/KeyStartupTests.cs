using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using OpenCdn.Catalog.Keys;
using OpenCdn.Contracts.Delivery;
using OpenCdn.ControlPlane.Auth;
using OpenCdn.ControlPlane.Delivery;
using OpenCdn.ControlPlane.Playback;
using OpenCdn.Platform.Storage;
using OpenCdn.Testing;

namespace OpenCdn.ControlPlane.Tests.Keys;

/// <summary>
/// The keys at start on embedded defaults (SQLite, no key-encryption key configured): an upgrade imports the key files
/// an earlier version left, so what it signed stays valid, and deletes them; bad configuration stops the start.
/// </summary>
public sealed class KeyStartupTests : IDisposable
{
    private readonly TempFolder _data = new();

    [Fact]
    public async Task KeyFilesOfAnEarlierVersion_AreImported_SoWhatTheySignedStaysValid_ThenDeleted()
    {
        var keys = Directory.CreateDirectory(_data.Combine("keys")).FullName;
        var (jwt, session, originUrl, deliveryRoot, handedOut) = (Key(), Key(), Key(), Key(), Key());
        var madeAt = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await File.WriteAllBytesAsync(Path.Combine(keys, "jwt.key"), jwt);
        await File.WriteAllBytesAsync(Path.Combine(keys, "playback-session.key"), session);
        await File.WriteAllBytesAsync(Path.Combine(keys, "origin-url.key"), originUrl);
        await File.WriteAllBytesAsync(Path.Combine(keys, $"delivery-root-k{madeAt}.key"), deliveryRoot);
        await File.WriteAllBytesAsync(Path.Combine(keys, $"delivery-k{madeAt}.key"), handedOut);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var oldJwt = new TokenIssuer(
            new SigningCredentials(new SymmetricSecurityKey(jwt) { KeyId = "embedded" }, SecurityAlgorithms.HmacSha256),
            Options.Create(new AuthOptions()), clock).Issue("viewer", ["viewer"]).Token;
        var oldSession = new SessionCodec(session, clock).Encode(new PlaybackSession("t1", 1, clock.GetUtcNow().AddHours(1), [], ""));
        var oldOriginUrl = new OriginUrlSigner(originUrl, new Uri("http://127.0.0.1:5080/origin"), clock)
            .Sign("titles/t1/v1/a.mp4", TimeSpan.FromHours(1));
        var edge = DeliveryAudience.Edge("e000000000001");

        using (var upgraded = App())
        {
            using var response = await upgraded.WithBearer(oldJwt).GetAsync("/api/v1/titles");
            var ring = upgraded.Services.GetRequiredService<DeliveryKeyRing>();
            var query = System.Web.HttpUtility.ParseQueryString(oldOriginUrl.Query);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(upgraded.Services.GetRequiredService<SessionCodec>().Decode(oldSession));
            Assert.True(upgraded.Services.GetRequiredService<OriginUrlSigner>().IsValid("titles/t1/v1/a.mp4", query["expires"], query["signature"]));
            Assert.Equal($"k{madeAt}", ring.Current(edge).Id); // edges keep the keys they hold
            Assert.Equal(Derived(deliveryRoot, edge, $"k{madeAt}"), ring.Current(edge).Secret);
            Assert.DoesNotContain(ring.Live(edge), k => k.Secret.AsSpan().SequenceEqual(Derived(handedOut, edge, k.Id)));
            Assert.Equal([KeyEncryptionKeySource.GeneratedFileName], Directory.GetFiles(keys).Select(Path.GetFileName));
        }

        using var restarted = App(); // the files are gone: the keys now come from the catalog alone
        using var again = await restarted.WithBearer(oldJwt).GetAsync("/api/v1/titles");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public void EmbeddedDefaults_MakeOneOwnerOnlyKeyEncryptionKey_AndKeepIt()
    {
        byte[] first;
        using (var app = App())
        {
            _ = app.Services;
            first = File.ReadAllBytes(_data.Combine("keys", KeyEncryptionKeySource.GeneratedFileName));
        }
        using var restarted = App();
        _ = restarted.Services;

        Assert.Equal(32, first.Length);
        Assert.Equal(first, File.ReadAllBytes(_data.Combine("keys", KeyEncryptionKeySource.GeneratedFileName)));
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(_data.Combine("keys", KeyEncryptionKeySource.GeneratedFileName));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        }
    }

    [Theory]
    [InlineData("c2hvcnQ=")] // 5 bytes
    [InlineData("not base64 at all!")]
    public void AKeyEncryptionKeyThatIsNot32Bytes_StopsTheStart_WithoutEchoingIt(string configured)
    {
        using var app = App(("OpenCdn:Keys:EncryptionKey", configured));
        var options = new ServiceCollection();
        options.AddOptions<KeysOptions>().Configure(o => o.EncryptionKey = configured).ValidateDataAnnotations();

        Assert.ThrowsAny<Exception>(() => app.Services); // the options are validated on start
        var error = Assert.Throws<OptionsValidationException>(() => options.BuildServiceProvider().GetRequiredService<IOptions<KeysOptions>>().Value);

        Assert.Contains("OpenCdn:Keys:EncryptionKey must be the base64 of 32 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(configured, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGeneratedKeyEncryptionKeyThatDoesNotOpenTheCatalog_StopsTheStart_NamingItsFile()
    {
        using (var app = App())
        {
            _ = app.Services;
        }
        File.WriteAllBytes(_data.Combine("keys", KeyEncryptionKeySource.GeneratedFileName), Key()); // say, a folder restored from another host

        using var restarted = App();
        var error = Assert.ThrowsAny<Exception>(() => restarted.Services);

        Assert.Contains(
            $"The key-encryption key generated in {_data.Combine("keys", KeyEncryptionKeySource.GeneratedFileName)} "
            + "(OpenCdn:Keys:EncryptionKey is not set) does not open the keys in the catalog", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();

    private ControlPlaneApp App(params (string Key, string Value)[] settings) => new(
        new Dictionary<string, string>(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))) { ["OpenCdn:DataFolder"] = _data.Path },
        realSockets: false);

    private static byte[] Key() => RandomNumberGenerator.GetBytes(32);

    private static byte[] Derived(byte[] root, string audience, string keyId) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 32, [], Encoding.UTF8.GetBytes($"opencdn-delivery|{audience}|{keyId}"));
}
