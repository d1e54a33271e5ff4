namespace OpenCdn.Cli.Config;

/// <summary>What <c>opencdn login</c> keeps: the server and the token it issued.</summary>
internal sealed record Credentials(Uri Server, string Username, string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles);
