using System.Text.Json;

namespace OpenCdn.Edge.Content;

/// <summary>Small state files in the data folder, replaced atomically (temp file, fsync, rename) so a crash leaves the old or the new one.</summary>
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

    public static async Task WriteAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await JsonSerializer.SerializeAsync(stream, value, Options, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
