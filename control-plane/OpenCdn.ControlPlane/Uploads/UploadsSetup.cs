namespace OpenCdn.ControlPlane.Uploads;

internal static class UploadsSetup
{
    public static WebApplicationBuilder AddUploads(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UploadStaging>();
        builder.Services.AddSingleton<UploadCompletion>();
        builder.Services.AddHostedService<UploadSweeper>();
        return builder;
    }
}
