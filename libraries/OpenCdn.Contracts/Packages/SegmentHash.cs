namespace OpenCdn.Contracts.Packages;

/// <summary>
/// One media subsegment of a representation, as its top-level <c>sidx</c> lists it: the byte range a player asks for and
/// the SHA-256 (lower-case hex) of those bytes. A player checks bytes a peer sent against it before using them.
/// </summary>
public sealed record SegmentHash(ByteSpan Range, string Sha256);
