using Microsoft.Extensions.Options;
using OpenCdn.Platform.Files;
using OpenCdn.Edge.Hosting;

namespace OpenCdn.Edge.Content;

/// <summary>The layout of the data folder; everything the appliance writes is below <see cref="Root"/>.</summary>
internal sealed class DataPaths
{
    public DataPaths(IOptions<EdgeOptions> options)
    {
        Root = SecretFile.CreateFolder(Path.GetFullPath(options.Value.DataFolder)); // 0700: identity and keys live here
        SecretFile.Tighten(Identity);
        SecretFile.Tighten(Keys);
        Directory.CreateDirectory(Content);
        Directory.CreateDirectory(Partial);
        Directory.CreateDirectory(Quarantine);
    }

    public string Root { get; }

    /// <summary>The servable tree: only verified files, moved in by atomic rename.</summary>
    public string Content => Path.Combine(Root, "content");

    /// <summary>Downloads in progress, resumed by Range after an interruption.</summary>
    public string Partial => Path.Combine(Root, "partial");

    /// <summary>Files the scrubber found corrupted, kept for an operator to look at.</summary>
    public string Quarantine => Path.Combine(Root, "quarantine");

    public string Identity => Path.Combine(Root, "identity.json");

    public string Keys => Path.Combine(Root, "keys.json");

    public string Plan => Path.Combine(Root, "fill-plan.json");

    public string Catalog => Path.Combine(Root, "catalog.json");
}
