using System.Text.Json;
using OpenCdn.Platform.Files;

namespace OpenCdn.Edge.Content;

/// <summary>
/// Small state files in the data folder, replaced atomically (temp file, fsync, rename) so a crash leaves the old or
/// the new one; mode 0600.
/// </summary>
internal static class JsonFile
{
    /// <summary>The control plane's wire format, also for the state files that hold its answers.</summary>
    public static JsonSerializerOptions Options => Contracts.ContractJson.Options;

    /// <summary>Reads a state file at start-up; a missing file is <c>null</c>.</summary>
    public static T? Read<T>(string path)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, Options);
    }

    /// <summary>Writes the file atomically, readable by the appliance's user only: identity and keys are secrets.</summary>
    public static Task WriteAsync<T>(string path, T value, CancellationToken cancellationToken) =>
        SecretFile.WriteAsync(path, (stream, ct) => JsonSerializer.SerializeAsync(stream, value, Options, ct), cancellationToken);
}
