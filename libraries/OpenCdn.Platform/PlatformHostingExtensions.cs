using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenCdn.Platform.Files;
using OpenCdn.Platform.Queue;
using OpenCdn.Platform.Storage;

namespace OpenCdn.Platform;

/// <summary>Registers origin storage and the job queue, each chosen by configuration alone (<c>Kind</c>), never by code.</summary>
public static class PlatformHostingExtensions
{
    public static IHostApplicationBuilder AddOriginStorage(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions();
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IObjectStore>(services =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var time = services.GetRequiredService<TimeProvider>();
            if (options.Kind == StorageKind.S3)
            {
                var s3 = options.S3;
                var config = new AmazonS3Config
                {
                    AuthenticationRegion = s3.Region,
                    ForcePathStyle = s3.ForcePathStyle,
                    RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                    ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
                };
                if (s3.ServiceUrl is not null)
                {
                    config.ServiceURL = s3.ServiceUrl.AbsoluteUri;
                }
                else
                {
                    config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(s3.Region);
                }
                var client = Credentials(s3.AccessKey, s3.SecretKey) is { } credentials
                    ? new AmazonS3Client(credentials, config)
                    : new AmazonS3Client(config);
                return new S3ObjectStore(client, s3.Bucket, s3.PartSizeMiB << 20, time);
            }
            var data = services.GetRequiredService<IOptions<PlatformOptions>>().Value.DataFolder;
            // The signer (and its key) is the control plane's; a worker stores objects but never hands out their URLs.
            return new FileSystemObjectStore(options.Root ?? Path.Combine(data, "origin"), () => services.GetService<OriginUrlSigner>()
                ?? throw new InvalidOperationException("This process signs no origin URLs: only the control plane holds the origin-URL key."));
        });
        return builder;
    }

    public static IHostApplicationBuilder AddJobQueue(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions();
        builder.Services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IJobQueue>(services =>
        {
            var options = services.GetRequiredService<IOptions<QueueOptions>>().Value;
            if (options.Kind == QueueKind.Sqs)
            {
                var sqs = options.Sqs;
                var config = new AmazonSQSConfig { AuthenticationRegion = sqs.Region };
                if (sqs.ServiceUrl is not null)
                {
                    config.ServiceURL = sqs.ServiceUrl.AbsoluteUri;
                }
                else
                {
                    config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(sqs.Region);
                }
                var client = Credentials(sqs.AccessKey, sqs.SecretKey) is { } credentials
                    ? new AmazonSQSClient(credentials, config)
                    : new AmazonSQSClient(config);
                return new SqsJobQueue(client, sqs.QueueUrl!, sqs.DeadLetterQueueUrl!);
            }
            var data = services.GetRequiredService<IOptions<PlatformOptions>>().Value.DataFolder;
            return new LocalJobQueue(
                options.Path ?? Path.Combine(data, "queue.db"), options.MaxReceives, services.GetRequiredService<TimeProvider>());
        });
        return builder;
    }

    /// <summary>Reads a 256-bit secret kept in a file, creating it (readable by the owner only) on first start.</summary>
    public static byte[] LoadOrCreateKey(string path)
    {
        SecretFile.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!File.Exists(path))
        {
            // Two processes started at once: the first to create it wins; both use its key.
            SecretFile.TryCreate(path, RandomNumberGenerator.GetBytes(32));
        }
        SecretFile.Tighten(path);
        return File.ReadAllBytes(path);
    }

    private static void AddPlatformOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<PlatformOptions>().BindConfiguration(PlatformOptions.Section);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PrivateDataFolder>());
    }

    private static BasicAWSCredentials? Credentials(string? accessKey, string? secretKey) =>
        string.IsNullOrEmpty(accessKey) ? null : new BasicAWSCredentials(accessKey, secretKey);
}
