using System.Globalization;
using System.Net;

namespace OpenCdn.Steering.Prefixes;

/// <summary>
/// A CIDR prefix in the 128-bit key space of <see cref="IpKey"/>: an IPv4 <c>a.b.c.d/n</c> is held as the mapped
/// <c>::ffff:a.b.c.d/(96+n)</c>. The network never has host bits set.
/// </summary>
internal readonly record struct IpPrefix
{
    private IpPrefix(UInt128 network, int length)
    {
        Network = network;
        Length = length;
    }

    public UInt128 Network { get; }

    /// <summary>Length in the 128-bit space (an IPv4 /24 is 120).</summary>
    public int Length { get; }

    public bool IsV4 => Length >= IpKey.V4Offset && IpKey.IsV4Mapped(Network);

    /// <summary>A prefix from any address and length; host bits are cleared.</summary>
    public static IpPrefix Create(UInt128 address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 128);
        return new IpPrefix(address & IpKey.Mask(length), length);
    }

    public bool Contains(UInt128 address) => ((address ^ Network) & IpKey.Mask(Length)) == 0;

    public static PrefixParseError TryParse(string? text, out IpPrefix prefix)
    {
        prefix = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return PrefixParseError.Empty;
        }
        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        if (slash < 0)
        {
            return PrefixParseError.MissingLength;
        }
        var addressText = span[..slash];
        var isV6 = addressText.Contains(':');
        if (!IsPlainAddress(addressText, isV6) || !IPAddress.TryParse(addressText, out var address))
        {
            return PrefixParseError.InvalidAddress;
        }
        var maxLength = isV6 ? 128 : 32;
        if (!int.TryParse(span[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > maxLength)
        {
            return PrefixParseError.InvalidLength;
        }
        var key = IpKey.From(address);
        var fullLength = isV6 ? length : length + IpKey.V4Offset;
        if ((key & ~IpKey.Mask(fullLength)) != 0)
        {
            return PrefixParseError.HostBitsSet;
        }
        prefix = new IpPrefix(key, fullLength);
        return PrefixParseError.None;
    }

    /// <summary>Parses or throws a <see cref="FormatException"/> that says what is wrong; for configuration, not requests.</summary>
    public static IpPrefix Parse(string text)
    {
        var error = TryParse(text, out var prefix);
        return error == PrefixParseError.None ? prefix : throw new FormatException(Describe(error, text));
    }

    public static string Describe(PrefixParseError error, string? text) => error switch
    {
        PrefixParseError.None => $"'{text}' is a valid prefix.",
        PrefixParseError.Empty => "A prefix is empty; expected CIDR such as 192.0.2.0/24 or 2001:db8::/32.",
        PrefixParseError.MissingLength => $"'{text}' has no '/length'; expected CIDR such as 192.0.2.0/24.",
        PrefixParseError.InvalidAddress => $"'{text}' does not start with a dotted-quad IPv4 or an IPv6 address.",
        PrefixParseError.InvalidLength => $"'{text}' has a length outside 0–32 (IPv4) or 0–128 (IPv6).",
        PrefixParseError.HostBitsSet => $"'{text}' has bits set beyond its length; write the network address.",
        _ => $"'{text}' is not a prefix.",
    };

    public override string ToString()
    {
        var address = IpKey.ToAddress(Network);
        return IsV4
            ? $"{address}/{(Length - IpKey.V4Offset).ToString(CultureInfo.InvariantCulture)}"
            : $"{(IpKey.IsV4Mapped(Network) ? address.MapToIPv6() : address)}/{Length.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>IPv4 as exactly four dotted decimals (IPAddress alone accepts "10" or "1.2.3"); IPv6 without a scope.</summary>
    private static bool IsPlainAddress(ReadOnlySpan<char> text, bool isV6)
    {
        if (isV6)
        {
            return !text.Contains('%');
        }
        if (text.Count('.') != 3 || text.Length > 15)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (c != '.' && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
