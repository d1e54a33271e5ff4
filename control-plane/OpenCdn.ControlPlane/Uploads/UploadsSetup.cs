using Microsoft.Extensions.Options;
using OpenCdn.Catalog.Uploads;
using OpenCdn.Platform.Storage;

namespace OpenCdn.ControlPlane.Uploads;

internal static class UploadsSetup
{
    public static WebApplicationBuilder AddUploads(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Cloud mode stages in the object store (any instance continues an upload); embedded mode in a local folder.
        builder.Services.AddSingleton<IUploadStaging>(services => services.GetRequiredService<IObjectStore>() is IMultipartObjectStore multipart
            ? new MultipartUploadStaging(
                multipart, services.GetRequiredService<MultipartUploadStore>(), services.GetRequiredService<IOptions<UploadOptions>>().Value)
            : ActivatorUtilities.CreateInstance<FolderUploadStaging>(services));
        builder.Services.AddSingleton<UploadCompletion>();
        builder.Services.AddHostedService<UploadSweeper>();
        return builder;
    }
}
