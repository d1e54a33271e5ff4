using System.ComponentModel.DataAnnotations;

namespace OpenCdn.ControlPlane.Peers;

/// <summary><c>OpenCdn:Peers</c>: peer-assisted delivery (viewers of one title in one network exchange segments).</summary>
public sealed class PeerOptions : IValidatableObject
{
    public const string Section = "OpenCdn:Peers";

    /// <summary>Off by default: a deployment turns it on; a viewer can still opt out in the player.</summary>
    public bool Enabled { get; set; }

    /// <summary>How many other viewers one viewer is introduced to, at most.</summary>
    public int MaxPeers { get; set; } = 4;

    /// <summary>What one viewer's player uploads to its peers at most, in bytes per second.</summary>
    public long UploadBytesPerSecond { get; set; } = 1_000_000;

    /// <summary>A player uploads only while it holds at least this much media ahead (or has buffered to the end).</summary>
    public double MinUploadBufferSeconds { get; set; } = 8;

    /// <summary>The longest a player waits for a peer before asking the edge; it waits less when its buffer is short.</summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>STUN servers (<c>stun:host:port</c>) handed to players for ICE; empty: host candidates only.</summary>
    public List<string> IceServers { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxPeers is < 1 or > 16)
        {
            yield return new ValidationResult("OpenCdn:Peers:MaxPeers must be between 1 and 16.");
        }
        if (UploadBytesPerSecond is < 16_384 or > 1_000_000_000)
        {
            yield return new ValidationResult("OpenCdn:Peers:UploadBytesPerSecond must be between 16384 and 1000000000.");
        }
        if (MinUploadBufferSeconds is < 0 or > 600)
        {
            yield return new ValidationResult("OpenCdn:Peers:MinUploadBufferSeconds must be between 0 and 600.");
        }
        if (PeerTimeout < TimeSpan.FromMilliseconds(100) || PeerTimeout > TimeSpan.FromSeconds(30))
        {
            yield return new ValidationResult("OpenCdn:Peers:PeerTimeout must be between 100 milliseconds and 30 seconds.");
        }
        foreach (var server in IceServers.Where(s => !s.StartsWith("stun:", StringComparison.Ordinal) || s.Length > 256))
        {
            yield return new ValidationResult($"OpenCdn:Peers:IceServers entry '{server}' is not a stun: URL.");
        }
    }
}
