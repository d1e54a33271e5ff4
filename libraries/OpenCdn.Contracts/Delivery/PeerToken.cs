namespace OpenCdn.Contracts.Delivery;

/// <summary>
/// The token an edge shows a peer's fill endpoint: a <see cref="DeliveryToken"/> over the scope <c>peer|{titleId}</c>,
/// minted by the control plane with the serving peer's own key and handed out in the fill plan (no edge can mint one).
/// A viewer's token (scope <c>{titleId}</c>) never passes this check, and a peer token never passes the viewer check.
/// </summary>
public static class PeerToken
{
    public static string Issue(SigningKey key, string titleId, DateTimeOffset expires) => DeliveryToken.Issue(key, Scope(titleId), expires);

    public static TokenCheck Check(string? token, string titleId, DateTimeOffset now, Func<string, SigningKey?> findKey) =>
        DeliveryToken.Check(token, Scope(titleId), now, findKey);

    private static string Scope(string titleId) => $"peer|{titleId}";
}
