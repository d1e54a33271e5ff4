using Microsoft.Net.Http.Headers;

namespace OpenCdn.Edge.Content;

/// <summary>
/// A verified file in the servable tree. The ETag is derived from the sha256 the plan named, so every edge holding the
/// same file answers with the same validator and <c>If-Range</c> keeps working when a player fails over.
/// </summary>
internal sealed record StoredFile(ContentKey Key, long Size, string Sha256, DateTimeOffset VerifiedAt)
{
    private EntityTagHeaderValue? _entityTag;

    public EntityTagHeaderValue EntityTag => _entityTag ??= new EntityTagHeaderValue("\"" + Sha256[..Math.Min(32, Sha256.Length)] + "\"");

    public string ContentType { get; } = ContentTypeOf(Key.File);

    private static string ContentTypeOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".mp4" or ".m4a" when file.StartsWith("audio_", StringComparison.Ordinal) => "audio/mp4",
        ".m4a" => "audio/mp4",
        ".mp4" or ".m4s" or ".m4v" => "video/mp4",
        ".mpd" => "application/dash+xml",
        ".json" => "application/json",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".vtt" => "text/vtt",
        _ => "application/octet-stream",
    };
}
