using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCdn.Cli.Hosting;

namespace OpenCdn.Cli.Api;

/// <summary>Turns a refused request into one line a person can act on, with the server's ProblemDetails <c>detail</c> when it sent one.</summary>
internal static class ApiErrors
{
    public static async Task<CliException> DescribeAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var detail = await DetailAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException(
                $"{what}: the server did not accept your login{Suffix(detail)} Log in again with 'opencdn login'.", ExitCodes.Unauthorized),
            HttpStatusCode.Forbidden => new CliException(
                $"{what}: your user is not allowed to do this{Suffix(detail ?? "(uploads need the admin role)")}", ExitCodes.Unauthorized),
            HttpStatusCode.NotFound => new CliException($"{what}: {(detail ?? "not found").TrimEnd('.')}.", ExitCodes.Usage),
            _ when status >= 500 => new CliException($"{what}: the server failed ({status}){Suffix(detail)}", ExitCodes.Unavailable),
            _ => new CliException($"{what}: {detail ?? response.ReasonPhrase ?? "refused"} ({status}).", ExitCodes.Failed),
        };
    }

    /// <summary>
    /// What the server said went wrong: the validation errors, else the problem's detail, else its title when that says
    /// more than the status's name ("Forbidden" does not).
    /// </summary>
    public static async Task<string?> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var problem = await ReadProblemAsync(response, cancellationToken);
        if (problem?.Errors is { Count: > 0 } errors)
        {
            return string.Join(" ", errors.SelectMany(e => e.Value));
        }
        return problem?.Detail
            ?? (string.Equals(problem?.Title, response.ReasonPhrase, StringComparison.OrdinalIgnoreCase) ? null : problem?.Title);
    }

    private static string Suffix(string? detail) => detail is null ? "." : $" ({detail.TrimEnd('.')}).";

    private static async Task<ProblemResponse?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }
        try
        {
            return await response.Content.ReadFromJsonAsync(CliJson.Default.ProblemResponse, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
