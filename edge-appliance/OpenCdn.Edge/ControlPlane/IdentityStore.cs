using OpenCdn.Edge.Content;

namespace OpenCdn.Edge.ControlPlane;

/// <summary>The appliance's identity in the data folder; after registration the bootstrap token is never needed again.</summary>
internal sealed class IdentityStore(DataPaths paths)
{
    public EdgeIdentity? Current { get; private set; } = JsonFile.Read(paths.Identity, EdgeJson.Default.EdgeIdentity);

    public async Task SetAsync(EdgeIdentity? identity, CancellationToken cancellationToken)
    {
        if (identity is null)
        {
            File.Delete(paths.Identity);
        }
        else
        {
            await JsonFile.WriteAsync(paths.Identity, identity, EdgeJson.Default.EdgeIdentity, cancellationToken);
        }
        Current = identity;
    }
}
