using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace OpenCdn.Steering.Prefixes;

/// <summary>
/// Addresses as 128-bit keys, most significant bit first. IPv4 lives in the IPv4-mapped range <c>::ffff:0:0/96</c>, so
/// one trie serves both families and a client seen as <c>::ffff:10.1.2.3</c> matches <c>10.0.0.0/8</c>.
/// </summary>
internal static class IpKey
{
    /// <summary>Where IPv4 starts inside the 128-bit space: an IPv4 /n is a /(96+n) here.</summary>
    public const int V4Offset = 96;

    private static readonly UInt128 V4MappedTag = (UInt128)0xFFFF << 32;
    private static readonly UInt128[] Masks = BuildMasks();

    public static UInt128 From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[..10].Clear();
            bytes[10] = 0xFF;
            bytes[11] = 0xFF;
            address.TryWriteBytes(bytes[12..], out _);
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
        }
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static UInt128 FromV4(uint address) => V4MappedTag | address;

    public static bool IsV4Mapped(UInt128 key) => key >> 32 == 0xFFFF;

    public static IPAddress ToAddress(UInt128 key)
    {
        if (IsV4Mapped(key))
        {
            return new IPAddress(BinaryPrimitives.ReverseEndianness((uint)key));
        }
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        return new IPAddress(bytes);
    }

    /// <summary>The first <paramref name="length"/> bits set (0 ≤ length ≤ 128).</summary>
    public static UInt128 Mask(int length) => Masks[length];

    /// <summary>Bit <paramref name="index"/> counted from the most significant (0) to the least (127).</summary>
    public static int Bit(UInt128 key, int index) => (int)(key >> (127 - index)) & 1;

    public static int CommonLength(UInt128 a, UInt128 b) => (int)UInt128.LeadingZeroCount(a ^ b);

    private static UInt128[] BuildMasks()
    {
        var masks = new UInt128[129];
        for (var length = 1; length <= 128; length++)
        {
            masks[length] = UInt128.MaxValue << (128 - length);
        }
        return masks;
    }
}
