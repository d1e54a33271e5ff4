namespace OpenCdn.ControlPlane.Uploads;

/// <summary>The tus 1.0 protocol's headers and the extensions this server speaks.</summary>
internal static class Tus
{
    public const string Version = "1.0.0";
    public const string Extensions = "creation,termination";
    public const string OffsetContentType = "application/offset+octet-stream";

    public const string ResumableHeader = "Tus-Resumable";
    public const string VersionHeader = "Tus-Version";
    public const string ExtensionHeader = "Tus-Extension";
    public const string MaxSizeHeader = "Tus-Max-Size";
    public const string OffsetHeader = "Upload-Offset";
    public const string LengthHeader = "Upload-Length";
    public const string MetadataHeader = "Upload-Metadata";
    public const string ExpiresHeader = "Upload-Expires";

    /// <summary>Reads <c>Upload-Metadata</c>: comma-separated <c>key base64value</c> pairs.</summary>
    public static Dictionary<string, string> ParseMetadata(string? header)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (header ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(' ', 2);
            try
            {
                metadata[parts[0]] = parts.Length == 2 ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(parts[1])) : "";
            }
            catch (FormatException)
            {
                // A value that is not base64 is ignored, as if it had not been sent.
            }
        }
        return metadata;
    }

    /// <summary>A master's file name as kept in origin: letters, digits, '.', '-' and '_' only.</summary>
    public static string SafeFileName(string? name)
    {
        var cleaned = new string(
            (Path.GetFileName(name ?? "") ?? "").Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('.');
        return cleaned.Length is > 0 and <= 100 ? cleaned : "master";
    }
}
