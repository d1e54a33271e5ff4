namespace OpenCdn.Contracts.Delivery;

/// <summary>
/// The token one edge shows another's peer-fill endpoint: a <see cref="DeliveryToken"/> over the scope
/// <c>peer|{titleId}</c>. Every edge holds the key ring, so any edge can mint one; a viewer's token (scope
/// <c>{titleId}</c>) never passes this check, and a peer token never passes the viewer check.
/// </summary>
public static class PeerToken
{
    public static string Issue(SigningKey key, string titleId, DateTimeOffset expires) => DeliveryToken.Issue(key, Scope(titleId), expires);

    public static TokenCheck Check(string? token, string titleId, DateTimeOffset now, Func<string, byte[]?> findKey) =>
        DeliveryToken.Check(token, Scope(titleId), now, findKey);

    private static string Scope(string titleId) => $"peer|{titleId}";
}
