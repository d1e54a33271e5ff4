namespace OpenCdn.Catalog.Keys;

/// <summary>The key-encryption key this process was given does not open the secrets in the catalog: a start-up error.</summary>
public sealed class KeyEncryptionKeyMismatchException : Exception
{
    public KeyEncryptionKeyMismatchException()
    {
    }

    public KeyEncryptionKeyMismatchException(string message)
        : base(message)
    {
    }

    public KeyEncryptionKeyMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
