using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace OpenCdn.ControlPlane.Fleet;

/// <summary>
/// Reads an edge's JSON body. A document that does not fit the contract (a string where a number goes, a number past
/// its type's range, a name no enum has) is a problem keyed by its JSON path, as <see cref="EdgeInputRules"/> keys its own.
/// </summary>
internal static class EdgeMessageReader
{
    public static async Task<(T? Message, Dictionary<string, string[]> Problems)> ReadAsync<T>(
        HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken), []);
        }
        catch (JsonException e)
        {
            return (null, new() { [FieldOf(e.Path)] = ["Not a valid value (or document) here."] });
        }
    }

    private static string FieldOf(string? path) => path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
