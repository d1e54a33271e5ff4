using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenCdn.Platform;
using OpenCdn.Platform.Files;

namespace OpenCdn.ControlPlane.Auth;

/// <summary>
/// The embedded issuer's users: those in configuration, or when there are none, an <c>admin</c> and a <c>viewer</c>
/// created on first start with random passwords, whose hashes are kept in <c>{DataFolder}/users.json</c> and whose
/// passwords are written once to <c>{DataFolder}/initial-credentials.txt</c> (owner-readable only), never logged.
/// </summary>
public sealed class UserDirectory
{
    private readonly IReadOnlyList<UserEntry> _users;

    public UserDirectory(IOptions<AuthOptions> auth, IOptions<PlatformOptions> platform)
    {
        _users = auth.Value.Users.Count > 0 ? auth.Value.Users : LoadOrCreateDefaults(platform.Value.DataFolder);
    }

    /// <summary>The user's roles when the password matches; null otherwise (unknown user or wrong password alike).</summary>
    public IReadOnlyList<string>? Authenticate(string name, string password)
    {
        var user = _users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));
        // Hash even for an unknown user so the answer takes the same time either way.
        var matches = PasswordHash.Verify(password, user?.PasswordHash ?? DummyHash);
        return user is not null && matches ? user.Roles : null;
    }

    private static readonly string DummyHash = PasswordHash.Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    private static List<UserEntry> LoadOrCreateDefaults(string dataFolder)
    {
        var path = Path.Combine(dataFolder, "users.json");
        var initialCredentials = Path.Combine(dataFolder, "initial-credentials.txt");
        if (File.Exists(path))
        {
            SecretFile.Tighten(path);
            SecretFile.Tighten(initialCredentials);
            return JsonSerializer.Deserialize<List<UserEntry>>(File.ReadAllText(path)) ?? [];
        }
        SecretFile.CreateFolder(dataFolder);
        var adminPassword = NewPassword();
        var viewerPassword = NewPassword();
        List<UserEntry> users =
        [
            new() { Name = "admin", PasswordHash = PasswordHash.Create(adminPassword), Roles = [Roles.Admin, Roles.Viewer] },
            new() { Name = "viewer", PasswordHash = PasswordHash.Create(viewerPassword), Roles = [Roles.Viewer] },
        ];
        SecretFile.Write(initialCredentials, Encoding.UTF8.GetBytes($"admin {adminPassword}\nviewer {viewerPassword}\n"));
        SecretFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(users));
        return users;
    }

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
