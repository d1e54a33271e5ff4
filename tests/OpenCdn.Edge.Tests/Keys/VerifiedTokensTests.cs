using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;
using OpenCdn.Edge.Keys;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Keys;

/// <summary>A remembered token is only as good as the check it skips: expiry, title, key and key set still hold.</summary>
public sealed class VerifiedTokensTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly SigningKey _key;
    private readonly KeyRing _ring;
    private readonly VerifiedTokens _tokens;

    public VerifiedTokensTests()
    {
        _key = TestContent.Key("k1", _clock.GetUtcNow().AddDays(1));
        _ring = new KeyRing(new DataPaths(Options.Create(new EdgeOptions { DataFolder = _folder.Path })), _clock);
        _ring.ReplaceAsync([_key], CancellationToken.None).GetAwaiter().GetResult();
        _tokens = new VerifiedTokens(_ring, _clock);
    }

    [Fact]
    public void ValidToken_StaysValidOnTheNextCheck()
    {
        var token = Issue("t1", TimeSpan.FromHours(1));

        Assert.Equal(TokenCheck.Valid, _tokens.Check(token, "t1"));
        Assert.Equal(TokenCheck.Valid, _tokens.Check(token, "t1"));
    }

    [Fact]
    public void RememberedToken_PastItsExpiry_IsRejected()
    {
        var token = Issue("t1", TimeSpan.FromMinutes(5));
        Assert.Equal(TokenCheck.Valid, _tokens.Check(token, "t1"));

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(TokenCheck.Valid, _tokens.Check(token, "t1")); // the expiry second itself still counts, as uncached
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TokenCheck.Expired, _tokens.Check(token, "t1"));
    }

    [Fact]
    public void RememberedToken_ForAnotherTitle_IsRejected()
    {
        var token = Issue("t1", TimeSpan.FromHours(1));
        Assert.Equal(TokenCheck.Valid, _tokens.Check(token, "t1"));

        Assert.Equal(TokenCheck.BadSignature, _tokens.Check(token, "t2"));
    }

    [Fact]
    public void ForgedToken_IsRejected_AfterTheRealOneWasRemembered()
    {
        var token = Issue("t1", TimeSpan.FromHours(1));
        Assert.Equal(TokenCheck.Valid, _tokens.Check(token, "t1"));
        var forged = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var expiry = _clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        var extended = token.Replace($".{expiry}.", $".{expiry + 3600}.", StringComparison.Ordinal);
        var beyondTheKey = token.Replace($".{expiry}.", $".{_clock.GetUtcNow().AddDays(9).ToUnixTimeSeconds()}.", StringComparison.Ordinal);

        Assert.Equal(TokenCheck.BadSignature, _tokens.Check(forged, "t1"));
        Assert.Equal(TokenCheck.BadSignature, _tokens.Check(extended, "t1"));
        Assert.Equal(TokenCheck.Malformed, _tokens.Check(beyondTheKey, "t1")); // no token of this key lasts that long
    }

    [Fact]
    public async Task RememberedToken_AfterItsKeyWasRevoked_IsRejected()
    {
        var token = Issue("t1", TimeSpan.FromHours(1));
        Assert.Equal(TokenCheck.Valid, _tokens.Check(token, "t1"));

        await _ring.ReplaceAsync([TestContent.Key("k2", _clock.GetUtcNow().AddDays(1))], CancellationToken.None);

        Assert.Equal(TokenCheck.UnknownKey, _tokens.Check(token, "t1"));
    }

    [Fact]
    public void RememberedToken_PastItsKeysNotAfter_IsRejected()
    {
        var token = Issue("t1", TimeSpan.FromDays(3));
        Assert.Equal(TokenCheck.Valid, _tokens.Check(token, "t1"));

        _clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(TokenCheck.UnknownKey, _tokens.Check(token, "t1"));
    }

    [Fact]
    public void FullMemory_StartsOver_AndStillChecks()
    {
        for (var i = 0; i <= VerifiedTokens.Capacity; i++)
        {
            Assert.Equal(TokenCheck.Valid, _tokens.Check(Issue($"t{i}", TimeSpan.FromHours(1)), $"t{i}"));
        }

        Assert.Equal(TokenCheck.Valid, _tokens.Check(Issue("t0", TimeSpan.FromHours(1)), "t0"));
        Assert.Equal(TokenCheck.BadSignature, _tokens.Check(Issue("t0", TimeSpan.FromHours(1)), "t1"));
    }

    public void Dispose() => _folder.Dispose();

    private string Issue(string titleId, TimeSpan life) => DeliveryToken.Issue(_key, titleId, _clock.GetUtcNow() + life);
}
