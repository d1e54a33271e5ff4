using System.Security.Cryptography;
using OpenCdn.Contracts.Delivery;
using OpenCdn.Contracts.Edges;

namespace OpenCdn.Edge.Tests.Support;

/// <summary>Deterministic test bytes, keys and plan pieces.</summary>
public static class TestContent
{
    public static byte[] Bytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static FillFile File(string name, byte[] bytes) => new(name, bytes.Length, Sha256(bytes));

    public static SigningKey Key(string id, DateTimeOffset notAfter) => new(id, RandomNumberGenerator.GetBytes(32), notAfter);
}
