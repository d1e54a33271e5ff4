using System.ComponentModel.DataAnnotations;
using System.Net;

namespace OpenCdn.ControlPlane.Playback;

/// <summary><c>OpenCdn:Playback</c>: sessions, their delivery tokens and keys, the steering server, and who may forward a client address.</summary>
public sealed class PlaybackOptions : IValidatableObject
{
    public const string Section = "OpenCdn:Playback";

    /// <summary>How long a playback session, its manifest and its delivery token stay valid.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often a new delivery-signing key is made; the one it replaces stays live for a session lifetime.</summary>
    public TimeSpan KeyRotation { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The content-steering manifest's <c>TTL</c>: how soon players ask again.</summary>
    public TimeSpan SteeringTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Proxies (addresses or CIDR prefixes) whose <c>X-Forwarded-For</c> is believed; from anyone else the connection's
    /// own address is the client's. Empty: the header is ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SessionLifetime < TimeSpan.FromMinutes(1) || SessionLifetime > TimeSpan.FromDays(2))
        {
            yield return new ValidationResult("OpenCdn:Playback:SessionLifetime must be between 1 minute and 2 days.");
        }
        if (KeyRotation < SessionLifetime)
        {
            yield return new ValidationResult("OpenCdn:Playback:KeyRotation must be at least the SessionLifetime.");
        }
        if (SteeringTtl < TimeSpan.FromSeconds(1) || SteeringTtl > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("OpenCdn:Playback:SteeringTtl must be between 1 second and 1 hour.");
        }
        foreach (var proxy in TrustedProxies.Where(p => ParseProxy(p) is null))
        {
            yield return new ValidationResult($"OpenCdn:Playback:TrustedProxies entry '{proxy}' is not an IP address or CIDR prefix.");
        }
    }

    /// <summary>An address or prefix as a network (an address is a /32 or /128); null when it is neither.</summary>
    public static IPNetwork? ParseProxy(string value) =>
        IPNetwork.TryParse(value, out var network) ? network
        : IPAddress.TryParse(value, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
        : null;
}
