namespace OpenCdn.Cli.Api;

/// <summary>The body of <c>POST /api/v1/titles</c>.</summary>
internal sealed record CreateTitleRequest(string Name);
