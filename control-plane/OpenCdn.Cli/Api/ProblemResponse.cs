namespace OpenCdn.Cli.Api;

/// <summary>The parts of an RFC 9457 problem document the CLI shows.</summary>
internal sealed record ProblemResponse(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);
