using System.ComponentModel.DataAnnotations;

namespace OpenCdn.Catalog.Keys;

/// <summary>
/// <c>OpenCdn:Keys</c>: the key-encryption key (KEK) the platform's keys are stored under in the catalog, and how often
/// an instance looks there for rotated keys. With no KEK configured, one is generated once into
/// <c>{DataFolder}/keys/key-encryption.key</c>: right on one machine; instances sharing a catalog must all be given the same one.
/// </summary>
public sealed class KeysOptions : IValidatableObject
{
    public const string Section = "OpenCdn:Keys";

    /// <summary>The KEK as base64 of 32 bytes (in the cloud: a secret injected as <c>OpenCdn__Keys__EncryptionKey</c>).</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>A file holding the KEK: 32 bytes, or their base64 (a mounted secret).</summary>
    public string? EncryptionKeyFile { get; set; }

    /// <summary>How often an instance reads the rotating keys again, and rotates them when due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(EncryptionKey) && !string.IsNullOrEmpty(EncryptionKeyFile))
        {
            yield return new ValidationResult("Set OpenCdn:Keys:EncryptionKey or OpenCdn:Keys:EncryptionKeyFile, not both.");
        }
        if (!string.IsNullOrEmpty(EncryptionKey) && KeyEncryptionKeySource.Decode(EncryptionKey) is null)
        {
            // Never the value itself: it is a secret even when it is a wrong one.
            yield return new ValidationResult(
                $"OpenCdn:Keys:EncryptionKey must be the base64 of {LocalKeyEncryptionKey.KeySize} bytes "
                + $"(an AES-256 key, e.g. `head -c {LocalKeyEncryptionKey.KeySize} /dev/urandom | base64`); the value set is not.");
        }
        if (CheckInterval < TimeSpan.FromSeconds(1) || CheckInterval > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("OpenCdn:Keys:CheckInterval must be between 1 second and 1 hour.");
        }
    }
}
