namespace OpenCdn.ControlPlane.Delivery;

/// <summary>Who a delivery key is derived for: one edge, or the control plane's own origin endpoint.</summary>
public static class DeliveryAudience
{
    public const string Origin = "origin";

    public static string Edge(string edgeId) => $"edge:{edgeId}";
}
