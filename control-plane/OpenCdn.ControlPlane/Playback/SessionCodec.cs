using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenCdn.ControlPlane.Playback;

/// <summary>
/// Turns a <see cref="PlaybackSession"/> into its id and back: <c>{base64url(payload)}.{base64url(HMAC-SHA256(key, payload)[..16])}</c>,
/// the payload being the title, version, expiry, <c>nonce:{nonce}</c> and servers, one per line. An id that was not made
/// here, was changed, or has expired reads as null. Ids minted before the nonce line existed still read (nonce empty).
/// </summary>
internal sealed class SessionCodec(byte[] key, TimeProvider time)
{
    public const int MaxLength = 2048;
    private const int MacLength = 16;
    private const string NoncePrefix = "nonce:"; // a server line is "{id} {priority} {weight}"; this one has no space

    public string Encode(PlaybackSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var text = new StringBuilder()
            .Append(session.TitleId).Append('\n')
            .Append(session.Version.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(session.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (session.Nonce.Length > 0)
        {
            text.Append('\n').Append(NoncePrefix).Append(session.Nonce);
        }
        foreach (var server in session.Servers)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"{server.Id} {server.Priority} {server.Weight}");
        }
        var payload = Encoding.UTF8.GetBytes(text.ToString());
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, payload).AsSpan(0, MacLength))}";
    }

    public PlaybackSession? Decode(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength || id.IndexOf('.', StringComparison.Ordinal) is var dot && dot <= 0)
        {
            return null;
        }
        byte[] payload;
        byte[] mac;
        try
        {
            payload = Base64Url.DecodeFromChars(id.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(id.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload).AsSpan(0, MacLength)))
        {
            return null;
        }
        var lines = Encoding.UTF8.GetString(payload).Split('\n');
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(lines[2], CultureInfo.InvariantCulture));
        if (expiresAt <= time.GetUtcNow())
        {
            return null;
        }
        var hasNonce = lines.Length > 3 && lines[3].StartsWith(NoncePrefix, StringComparison.Ordinal);
        var nonce = hasNonce ? lines[3][NoncePrefix.Length..] : "";
        var servers = lines.Skip(hasNonce ? 4 : 3).Select(line => line.Split(' ')).Select(f =>
            new SessionServer(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture)));
        return new PlaybackSession(lines[0], int.Parse(lines[1], CultureInfo.InvariantCulture), expiresAt, [.. servers], nonce);
    }
}
