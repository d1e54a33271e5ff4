using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenCdn.Platform.Files;

namespace OpenCdn.Edge.Content;

/// <summary>
/// Small state files in the data folder, replaced atomically (temp file, fsync, rename) so a crash leaves the old or
/// the new one; mode 0600. In <see cref="EdgeJson"/>'s format (the control plane's, also for the files that hold its answers).
/// </summary>
internal static class JsonFile
{
    /// <summary>Reads a state file at start-up; a missing file is <c>null</c>.</summary>
    public static T? Read<T>(string path, JsonTypeInfo<T> type)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize(stream, type);
    }

    /// <summary>Writes the file atomically, readable by the appliance's user only: identity and keys are secrets.</summary>
    public static Task WriteAsync<T>(string path, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SecretFile.WriteAsync(path, (stream, ct) => JsonSerializer.SerializeAsync(stream, value, type, ct), cancellationToken);
}
