namespace OpenCdn.Catalog.Keys;

/// <summary>
/// One version of a named secret, decrypted: <paramref name="CreatedAt"/> is what its writer said (for rotated keys, when
/// it becomes current).
/// </summary>
public sealed record StoredSecret(string Name, long Version, byte[] Value, DateTimeOffset CreatedAt);
