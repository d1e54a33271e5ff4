namespace OpenCdn.Contracts.Delivery;

/// <summary>
/// One key of a delivery-token key ring. Several are live at once so keys rotate without breaking sessions. An edge
/// holds only its own keys, derived for it from the platform's (see the README's token scheme); a token of one key
/// never lasts past its <see cref="NotAfter"/>.
/// </summary>
public sealed record SigningKey(string Id, byte[] Secret, DateTimeOffset NotAfter);
