using System.Xml.Linq;
using OpenCdn.Contracts.Packages;

namespace OpenCdn.ControlPlane.Packages;

/// <summary>
/// The DASH-IF thumbnail AdaptationSet (IOP 6.2.6): one JPEG tile per SegmentTemplate segment, <c>$Number$</c> from 1,
/// each covering columns x rows x interval seconds (timescale 1), the grid in an EssentialProperty
/// (<c>http://dashif.org/thumbnail_tile</c>, value <c>10x10</c>), width and height those of a whole tile. The tiles sit
/// beside the renditions, so they resolve against the same BaseURLs (the token stays in the path). dash.js
/// (<c>provideThumbnail</c>) and Shaka (<c>getThumbnails</c>) both read this form.
/// </summary>
internal static class ThumbnailAdaptationSet
{
    public const string Scheme = "http://dashif.org/thumbnail_tile";

    public static XElement? Render(PackageManifest package, XNamespace dash)
    {
        var image = package.Representations.FirstOrDefault(r => r is { Kind: MediaKind.Image, Tiles: not null, Width: not null, Height: not null });
        if (image is null)
        {
            return null;
        }
        var tiles = image.Tiles!;
        return new XElement(dash + "AdaptationSet",
            new XAttribute("id", "100"),
            new XAttribute("contentType", "image"),
            new XAttribute("mimeType", image.MimeType),
            new XElement(dash + "SegmentTemplate",
                new XAttribute("media", image.File),
                new XAttribute("duration", tiles.TileSeconds),
                new XAttribute("startNumber", 1),
                new XAttribute("timescale", 1)),
            new XElement(dash + "Representation",
                new XAttribute("id", image.Id),
                new XAttribute("codecs", image.Codecs),
                new XAttribute("bandwidth", image.Bandwidth),
                new XAttribute("width", image.Width!.Value),
                new XAttribute("height", image.Height!.Value),
                new XElement(dash + "EssentialProperty",
                    new XAttribute("schemeIdUri", Scheme),
                    new XAttribute("value", $"{tiles.Columns}x{tiles.Rows}"))));
    }
}
