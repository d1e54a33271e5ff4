namespace OpenCdn.ControlPlane.Origin;

/// <summary>Media types of the files a package holds.</summary>
internal static class ContentTypes
{
    public static string Of(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".mp4" when Path.GetFileName(key).StartsWith("audio_", StringComparison.Ordinal) => "audio/mp4",
        ".mp4" or ".m4s" => "video/mp4",
        ".mpd" => "application/dash+xml",
        ".json" => "application/json",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".vtt" => "text/vtt",
        _ => "application/octet-stream",
    };
}
