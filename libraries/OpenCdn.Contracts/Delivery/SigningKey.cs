namespace OpenCdn.Contracts.Delivery;

/// <summary>One key of the delivery-token key ring. Several are live at once so keys rotate without breaking sessions.</summary>
public sealed record SigningKey(string Id, byte[] Secret, DateTimeOffset NotAfter);
