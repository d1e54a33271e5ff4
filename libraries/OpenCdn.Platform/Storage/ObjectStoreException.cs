namespace OpenCdn.Platform.Storage;

/// <summary>The store cannot do what was asked for a reason an operator must fix (missing bucket, bad credentials, corrupted write).</summary>
public sealed class ObjectStoreException(string message, Exception? inner = null) : IOException(message, inner);
