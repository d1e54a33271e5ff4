namespace OpenCdn.Edge.Serving.Tls;

/// <summary>
/// Plaintext the direct TLS path decrypted and did not answer (<see cref="Bytes"/>, a part of <see cref="Buffer"/>): the
/// first request Kestrel is to serve. <see cref="Buffer"/> is pooled; whoever holds this returns it.
/// </summary>
internal readonly record struct UnansweredRequest(byte[] Buffer, ReadOnlyMemory<byte> Bytes);
