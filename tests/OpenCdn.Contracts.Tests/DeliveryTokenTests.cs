using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OpenCdn.Contracts.Delivery;

namespace OpenCdn.Contracts.Tests;

public sealed class DeliveryTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly SigningKey Key = new("k1", RandomNumberGenerator.GetBytes(32), Now.AddDays(1));

    private static SigningKey? Ring(string id) => id == Key.Id ? Key : null;

    [Fact]
    public void Token_HasTheDocumentedShapeAndSignature()
    {
        var expires = Now.AddMinutes(5);

        var token = DeliveryToken.Issue(Key, "title-1", expires);

        var mac = HMACSHA256.HashData(Key.Secret, Encoding.UTF8.GetBytes($"k1|{expires.ToUnixTimeSeconds()}|title-1"));
        Assert.Equal($"k1.{expires.ToUnixTimeSeconds()}.{Base64Url.EncodeToString(mac)}", token);
    }

    [Fact]
    public void ValidToken_PassesUntilItExpires()
    {
        var token = DeliveryToken.Issue(Key, "title-1", Now.AddMinutes(5));

        Assert.Equal(TokenCheck.Valid, DeliveryToken.Check(token, "title-1", Now, Ring));
        Assert.Equal(TokenCheck.Valid, DeliveryToken.Check(token, "title-1", Now.AddMinutes(5), Ring));
        Assert.Equal(TokenCheck.Expired, DeliveryToken.Check(token, "title-1", Now.AddMinutes(5).AddSeconds(1), Ring));
    }

    [Fact]
    public void TokenForAnotherTitle_IsRejected()
    {
        var token = DeliveryToken.Issue(Key, "title-1", Now.AddMinutes(5));

        Assert.Equal(TokenCheck.BadSignature, DeliveryToken.Check(token, "title-2", Now, Ring));
    }

    [Fact]
    public void TokenWithALaterExpiryWrittenIn_IsRejected()
    {
        var token = DeliveryToken.Issue(Key, "title-1", Now.AddMinutes(5));
        var parts = token.Split('.');

        var extended = $"{parts[0]}.{Now.AddHours(1).ToUnixTimeSeconds()}.{parts[2]}";

        Assert.Equal(TokenCheck.BadSignature, DeliveryToken.Check(extended, "title-1", Now, Ring));
    }

    [Fact]
    public void TokenSignedWithAnotherKey_IsRejected()
    {
        var forged = DeliveryToken.Issue(Key with { Secret = RandomNumberGenerator.GetBytes(32) }, "title-1", Now.AddMinutes(5));

        Assert.Equal(TokenCheck.BadSignature, DeliveryToken.Check(forged, "title-1", Now, Ring));
    }

    [Fact]
    public void TokenOfAnUnknownKeyId_IsRejected()
    {
        var token = DeliveryToken.Issue(Key with { Id = "retired" }, "title-1", Now.AddMinutes(5));

        Assert.Equal(TokenCheck.UnknownKey, DeliveryToken.Check(token, "title-1", Now, Ring));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("k1")]
    [InlineData("k1.123")]
    [InlineData("k1.abc.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("k1.-5.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("k1.123.short")]
    [InlineData("k1.123.AAAA.extra")]
    [InlineData(".123.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("k1.0123.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("k1.+123.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("k1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("k1.123456789012.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("k|1.123.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("k1..AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void MalformedToken_IsRejectedWithoutThrowing(string? token)
    {
        Assert.Equal(TokenCheck.Malformed, DeliveryToken.Check(token, "title-1", Now, Ring));
    }

    [Fact]
    public void OtherSpellingsOfAValidToken_AreRejected()
    {
        var token = DeliveryToken.Issue(Key, "title-1", Now.AddMinutes(5));
        var parts = token.Split('.');

        Assert.Equal(TokenCheck.Valid, DeliveryToken.Check(token, "title-1", Now, Ring));
        foreach (var expiry in new[] { "0" + parts[1], "+" + parts[1], "00" + parts[1], parts[1] + " ", " " + parts[1], "\u0661" + parts[1] })
        {
            Assert.Equal(TokenCheck.Malformed, DeliveryToken.Check($"{parts[0]}.{expiry}.{parts[2]}", "title-1", Now, Ring));
        }
    }

    [Theory]
    [InlineData(253402300799)] // 9999-12-31T23:59:59Z, the last second DateTimeOffset holds
    [InlineData(253402300800)]
    [InlineData(99999999999)] // the most digits an expiry may have, but far past the key's end
    [InlineData(long.MaxValue)]
    public void FarFutureExpiries_AreRejectedWithoutThrowing(long expires)
    {
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(Key.Secret, Encoding.UTF8.GetBytes($"k1|{expires}|title-1")));

        Assert.Equal(TokenCheck.Malformed, DeliveryToken.Check($"k1.{expires}.{signature}", "title-1", Now, Ring));
    }

    [Fact]
    public void Issue_CapsTheExpiryAtTheKeysEnd()
    {
        var token = DeliveryToken.Issue(Key, "title-1", Now.AddYears(1));

        Assert.Equal(Key.NotAfter.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), token.Split('.')[1]);
        Assert.Equal(TokenCheck.Valid, DeliveryToken.Check(token, "title-1", Now, Ring, out var validUntil));
        Assert.Equal(Key.NotAfter, validUntil);
    }

    [Fact]
    public void PeerAndViewerTokens_DoNotOpenEachOthersDoors()
    {
        var viewer = DeliveryToken.Issue(Key, "title-1", Now.AddMinutes(5));
        var peer = PeerToken.Issue(Key, "title-1", Now.AddMinutes(5));

        Assert.Equal(TokenCheck.BadSignature, PeerToken.Check(viewer, "title-1", Now, Ring));
        Assert.Equal(TokenCheck.BadSignature, DeliveryToken.Check(peer, "title-1", Now, Ring));
        Assert.Equal(TokenCheck.Valid, PeerToken.Check(peer, "title-1", Now, Ring));
    }
}
