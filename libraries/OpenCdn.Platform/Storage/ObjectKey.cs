namespace OpenCdn.Platform.Storage;

/// <summary>
/// The one rule for object keys, shared by every store: relative, '/'-separated, no empty, '.' or '..' segments,
/// no backslashes or control characters, at most 1024 bytes. A key that passes can never leave a store's root.
/// </summary>
public static class ObjectKey
{
    public const int MaxLength = 1024;

    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var problem = Check(key);
        if (problem is not null)
        {
            throw new InvalidObjectKeyException(key, problem);
        }
    }

    /// <summary>Validates a prefix for listing: like a key, except that it may be empty or end with '/'.</summary>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return;
        }
        var problem = Check(prefix.EndsWith('/') ? prefix[..^1] : prefix);
        if (problem is not null)
        {
            throw new InvalidObjectKeyException(prefix, problem);
        }
    }

    public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? key) => key is not null && Check(key) is null;

    private static string? Check(string key)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }
        if (System.Text.Encoding.UTF8.GetByteCount(key) > MaxLength)
        {
            return $"it is longer than {MaxLength} bytes";
        }
        foreach (var c in key)
        {
            if (c == '\\')
            {
                return "it contains a backslash";
            }
            if (char.IsControl(c))
            {
                return "it contains a control character";
            }
        }
        if (key[0] == '/')
        {
            return "it is absolute (starts with '/')";
        }
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it has an empty segment ('//' or a trailing '/')";
            }
            if (segment is "." or "..")
            {
                return "it has a '.' or '..' segment";
            }
        }
        return null;
    }
}

public sealed class InvalidObjectKeyException(string key, string problem)
    : ArgumentException($"Invalid object key '{Printable(key)}': {problem}.")
{
    public string Key { get; } = key;

    private static string Printable(string key)
    {
        var shown = key.Length > 80 ? key[..80] + "…" : key;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
