using System.ComponentModel.DataAnnotations;

namespace OpenCdn.ControlPlane.Auth;

/// <summary>
/// <c>OpenCdn:Auth</c>. Embedded mode (no <see cref="Authority"/>) issues its own JWTs at <c>POST /api/v1/auth/token</c>
/// for <see cref="Users"/>, signed with a key generated in the data folder. With an <see cref="Authority"/> the
/// control plane only validates tokens of that external issuer for <see cref="Audience"/>.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "OpenCdn:Auth";

    public string? Authority { get; set; }

    public string Audience { get; set; } = "opencdn";

    public string Issuer { get; set; } = "opencdn";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Embedded users. When empty, an <c>admin</c> and a <c>viewer</c> with random passwords are created on first start.</summary>
    public List<UserEntry> Users { get; set; } = [];

    public bool IsEmbeddedIssuer => string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var user in Users)
        {
            if (string.IsNullOrWhiteSpace(user.Name) || !PasswordHash.IsWellFormed(user.PasswordHash))
            {
                yield return new ValidationResult(
                    $"OpenCdn:Auth:Users entry '{user.Name}' needs a Name and a PasswordHash made by PasswordHash.Create.");
            }
            foreach (var role in user.Roles.Where(r => r is not (Roles.Admin or Roles.Viewer)))
            {
                yield return new ValidationResult($"OpenCdn:Auth:Users entry '{user.Name}' has unknown role '{role}' (admin, viewer).");
            }
        }
    }
}

/// <summary>One embedded user: name, PBKDF2 hash of the password, roles.</summary>
public sealed class UserEntry
{
    public string Name { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public List<string> Roles { get; set; } = [];
}
