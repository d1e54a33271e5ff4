using System.Xml.Linq;
using OpenCdn.Contracts.Packages;

namespace OpenCdn.ControlPlane.Packages;

/// <summary>
/// The audio and text AdaptationSets of an MPD: one audio set per track of the master (its stereo and 5.1 encodes
/// together: same language, role and label), main tracks first; one text set per subtitle file, each with
/// <c>lang</c> and a <c>Role</c> (urn:mpeg:dash:role:2011).
/// </summary>
internal static class TrackSets
{
    private const string RoleScheme = "urn:mpeg:dash:role:2011";

    public static IEnumerable<IReadOnlyList<Representation>> Of(PackageManifest package)
    {
        var audio = package.Representations.Where(r => r.Kind == MediaKind.Audio)
            .GroupBy(r => (r.Language, r.Role, r.Label))
            .OrderBy(g => g.Key.Role is null or "main" ? 0 : 1)
            .Select(g => (IReadOnlyList<Representation>)g.OrderByDescending(r => r.Bandwidth).ToList());
        var text = package.Representations.Where(r => r.Kind == MediaKind.Text).Select(r => (IReadOnlyList<Representation>)[r]);
        return audio.Concat(text);
    }

    /// <summary>An audio set's label and role, in the order the MPD schema wants them (Label, then Role).</summary>
    public static IEnumerable<XElement> Describe(XNamespace dash, Representation first)
    {
        if (first.Label is { } label)
        {
            yield return new XElement(dash + "Label", label);
        }
        if (first.Role is { } role)
        {
            yield return new XElement(dash + "Role", new XAttribute("schemeIdUri", RoleScheme), new XAttribute("value", role));
        }
    }

    /// <summary>A WebVTT subtitle file: a text set with one Representation, its file as BaseURL and no SegmentBase.</summary>
    public static XElement TextSet(XNamespace dash, int id, IReadOnlyList<Representation> representations)
    {
        var first = representations[0];
        return new XElement(dash + "AdaptationSet",
            new XAttribute("id", id),
            new XAttribute("contentType", "text"),
            new XAttribute("mimeType", first.MimeType),
            first.Language is { } language ? new XAttribute("lang", language) : null,
            first.Label is { } label ? new XElement(dash + "Label", label) : null,
            new XElement(dash + "Role", new XAttribute("schemeIdUri", RoleScheme), new XAttribute("value", first.Role ?? "subtitle")),
            representations.Select(MpdRenderer.Representation));
    }
}
