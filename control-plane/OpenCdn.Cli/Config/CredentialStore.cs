using OpenCdn.Cli.Api;
using OpenCdn.Cli.Hosting;

namespace OpenCdn.Cli.Config;

/// <summary><c>credentials.json</c> in the config folder.</summary>
internal sealed class CredentialStore(ConfigFolder folder, TimeProvider time)
{
    public const string FileName = "credentials.json";

    public Task SaveAsync(Credentials credentials, CancellationToken cancellationToken) =>
        folder.WriteAsync(FileName, credentials, CliJson.Default.Credentials, cancellationToken);

    /// <summary>The saved login, if it is still valid; otherwise an error telling the user to log in.</summary>
    public async Task<Credentials> LoadAsync(CancellationToken cancellationToken)
    {
        var credentials = await folder.ReadAsync(FileName, CliJson.Default.Credentials, cancellationToken)
            ?? throw new CliException("Not logged in: run 'opencdn login --server URL --user NAME' first.", ExitCodes.Unauthorized);
        if (credentials.ExpiresAt <= time.GetUtcNow())
        {
            throw new CliException(
                $"Your login to {credentials.Server} expired at {credentials.ExpiresAt:u}: log in again with 'opencdn login'.",
                ExitCodes.Unauthorized);
        }
        return credentials;
    }
}
