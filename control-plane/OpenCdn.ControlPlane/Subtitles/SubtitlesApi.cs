using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using OpenCdn.Contracts.Api;
using OpenCdn.ControlPlane.Auth;

namespace OpenCdn.ControlPlane.Subtitles;

/// <summary>
/// <c>PUT /api/v1/titles/{id}/subtitles/{language}</c>: a SubRip or WebVTT file for a ready title, validated, converted
/// to WebVTT and published as a new package version (see <see cref="SubtitlePublisher"/>).
/// </summary>
internal static partial class SubtitlesApi
{
    public const int MaxBytes = 2 * 1024 * 1024;

    private static readonly string[] Accepted = ["text/vtt", "application/x-subrip", "text/srt", "text/plain", "application/octet-stream"];

    public static WebApplicationBuilder AddSubtitles(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SubtitlePublisher>();
        return builder;
    }

    public static RouteGroupBuilder MapSubtitlesApi(this RouteGroupBuilder api)
    {
        api.MapPut("/titles/{id}/subtitles/{language}", Put).WithTags("Titles").RequireAuthorization(Roles.AdminPolicy);
        return api;
    }

    private static async Task<Results<Ok<SubtitlesPublished>, ProblemHttpResult>> Put(
        string id, string language, HttpContext context, SubtitlePublisher publisher, CancellationToken cancellationToken)
    {
        if (!LanguageTag().IsMatch(language))
        {
            return Problem(StatusCodes.Status400BadRequest,
                "The language must be an ISO 639 code or a BCP 47 tag such as 'en', 'fra' or 'pt-BR'.");
        }
        language = Normalise(language);
        var contentType = context.Request.ContentType;
        if (contentType is not null && (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !Accepted.Contains(media.MediaType.Value, StringComparer.OrdinalIgnoreCase)))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType,
                "Send the subtitles as text/vtt (WebVTT) or application/x-subrip (SRT), in UTF-8.");
        }
        if (context.Request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }
        var body = await ReadAsync(context.Request.Body, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }
        var (cues, error) = SubtitleDocument.Parse(body);
        if (cues is null)
        {
            return Problem(StatusCodes.Status400BadRequest, $"Not a SubRip or WebVTT file: {error}");
        }
        var (outcome, version) = await publisher.PublishAsync(id, language, SubtitleDocument.ToWebVtt(cues), cancellationToken);
        return outcome switch
        {
            SubtitlePublisher.Outcome.Published => TypedResults.Ok(new SubtitlesPublished(id, language, version, cues.Count)),
            SubtitlePublisher.Outcome.NotFound => Problem(StatusCodes.Status404NotFound, $"No title '{id}'."),
            SubtitlePublisher.Outcome.NotReady => Problem(StatusCodes.Status409Conflict,
                $"Title '{id}' is not ready; subtitles can be added once its package is published."),
            _ => Problem(StatusCodes.Status409Conflict, $"Title '{id}' changed while the subtitles were published; try again."),
        };
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Primary subtag lower case, region upper case, script title case: 'PT-br' becomes 'pt-BR'.</summary>
    private static string Normalise(string tag)
    {
        var parts = tag.Split('-');
        var result = new StringBuilder(parts[0].ToLowerInvariant());
        foreach (var part in parts.Skip(1))
        {
            result.Append('-').Append(part.Length switch
            {
                2 => part.ToUpperInvariant(),
                4 => char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant(),
                _ => part.ToLowerInvariant(),
            });
        }
        return result.ToString();
    }

    private static ProblemHttpResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, $"A subtitle file may be at most {MaxBytes / (1024 * 1024)} MiB.");

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);

    /// <summary>A primary language subtag of 2 or 3 letters, then up to three subtags (script, region, variant).</summary>
    [GeneratedRegex(@"\A[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}
