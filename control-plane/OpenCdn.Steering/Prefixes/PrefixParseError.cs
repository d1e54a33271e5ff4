namespace OpenCdn.Steering.Prefixes;

/// <summary>Why a CIDR string was refused; <see cref="None"/> when it parsed.</summary>
internal enum PrefixParseError
{
    None,
    Empty,
    MissingLength,
    InvalidAddress,
    InvalidLength,
    HostBitsSet,
}
