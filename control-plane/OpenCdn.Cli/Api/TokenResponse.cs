namespace OpenCdn.Cli.Api;

/// <summary>What <c>POST /api/v1/auth/token</c> answers.</summary>
internal sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles);
