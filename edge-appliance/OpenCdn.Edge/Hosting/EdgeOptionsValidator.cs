using Microsoft.Extensions.Options;

namespace OpenCdn.Edge.Hosting;

/// <summary>
/// Checks <see cref="EdgeOptions"/> at start (its attributes and its own <c>Validate</c>) with source-generated code
/// instead of data-annotation reflection, which the natively compiled appliance does not have.
/// </summary>
[OptionsValidator]
internal sealed partial class EdgeOptionsValidator : IValidateOptions<EdgeOptions>;
