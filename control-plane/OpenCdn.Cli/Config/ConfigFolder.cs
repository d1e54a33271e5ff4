using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OpenCdn.Cli.Config;

/// <summary>
/// The folder <c>opencdn</c> keeps its state in: <c>$OPENCDN_CONFIG</c>, else <c>$XDG_CONFIG_HOME/opencdn</c>, else
/// <c>~/.config/opencdn</c>. It holds a token, so the folder is 0700 and every file 0600, written atomically.
/// </summary>
internal sealed class ConfigFolder(string path)
{
    public const string EnvironmentVariable = "OPENCDN_CONFIG";
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = path;

    public static ConfigFolder Resolve()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return new ConfigFolder(System.IO.Path.GetFullPath(configured));
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var home = string.IsNullOrEmpty(xdg)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config")
            : xdg;
        return new ConfigFolder(System.IO.Path.Combine(home, "opencdn"));
    }

    public string Combine(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Reads a JSON file; null when there is none. A damaged file is an error that names it.</summary>
    public async Task<T?> ReadAsync<T>(string relative, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var file = Combine(relative);
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            throw new IOException($"{file} is damaged; delete it and try again.");
        }
    }

    /// <summary>Writes a JSON file readable by its owner only: a temp file beside it, then a rename.</summary>
    public async Task WriteAsync<T>(string relative, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var file = Combine(relative);
        var folder = System.IO.Path.GetDirectoryName(file)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, PrivateFolder);
        }
        var temp = $"{file}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }
        await using (var stream = new FileStream(temp, options))
        {
            await JsonSerializer.SerializeAsync(stream, value, type, cancellationToken);
        }
        File.Move(temp, file, overwrite: true);
    }

    public void Delete(string relative) => File.Delete(Combine(relative));
}
