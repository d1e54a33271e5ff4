using System.ComponentModel.DataAnnotations;

namespace OpenCdn.ControlPlane.Hosting;

/// <summary>
/// <c>OpenCdn:PublicUrl</c>: the control plane's address as players and edges reach it (behind a load balancer, the
/// balancer's). Unset, the first address the server listens on is used, which is right on one machine only.
/// </summary>
public sealed class PublicUrlOptions : IValidatableObject
{
    public const string Section = "OpenCdn";

    public Uri? PublicUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicUrl is not null and not { IsAbsoluteUri: true, Scheme: "http" or "https", Query: "", Fragment: "" })
        {
            yield return new ValidationResult(
                "OpenCdn:PublicUrl must be the absolute http(s) URL players reach the control plane at, such as https://cdn.example.com.");
        }
    }
}
