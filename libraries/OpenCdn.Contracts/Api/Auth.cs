namespace OpenCdn.Contracts.Api;

/// <summary>The body of <c>POST /api/v1/auth/token</c>.</summary>
public sealed record TokenRequest(string? Username, string? Password);

/// <summary>What <c>POST /api/v1/auth/token</c> answers.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles);
