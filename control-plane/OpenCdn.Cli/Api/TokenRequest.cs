namespace OpenCdn.Cli.Api;

/// <summary>The body of <c>POST /api/v1/auth/token</c>.</summary>
internal sealed record TokenRequest(string Username, string Password);
