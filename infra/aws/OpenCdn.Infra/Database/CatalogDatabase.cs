using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.RDS;
using Constructs;

namespace OpenCdn.Infra.Database;

/// <summary>
/// The catalog: PostgreSQL on RDS (encrypted, Multi-AZ, TLS forced by the engine's default <c>rds.force_ssl</c>) with a
/// generated password kept in Secrets Manager. Services get a connection string without the password and the password
/// as <c>PGPASSWORD</c> from the secret, which Npgsql reads when the connection string has none.
/// </summary>
internal sealed class CatalogDatabase : Construct
{
    public const string DatabaseName = "opencdn";
    public const string UserName = "opencdn";

    public CatalogDatabase(Construct scope, string id, IVpc vpc) : base(scope, id)
    {
        Instance = new DatabaseInstance(this, "Instance", new DatabaseInstanceProps
        {
            Engine = DatabaseInstanceEngine.Postgres(new PostgresInstanceEngineProps { Version = PostgresEngineVersion.VER_16_4 }),
            InstanceType = Amazon.CDK.AWS.EC2.InstanceType.Of(InstanceClass.BURSTABLE4_GRAVITON, InstanceSize.MEDIUM),
            Vpc = vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED },
            Credentials = Credentials.FromGeneratedSecret(UserName),
            DatabaseName = DatabaseName,
            StorageEncrypted = true,
            MultiAz = true,
            AllocatedStorage = 20,
            MaxAllocatedStorage = 200,
            BackupRetention = Duration.Days(7),
            DeletionProtection = true,
            RemovalPolicy = RemovalPolicy.SNAPSHOT,
        });
    }

    public DatabaseInstance Instance { get; }

    /// <summary><c>ConnectionStrings:Catalog</c>, password left out (it comes as <c>PGPASSWORD</c>).</summary>
    public string ConnectionString =>
        $"Host={Instance.DbInstanceEndpointAddress};Port={Instance.DbInstanceEndpointPort};Database={DatabaseName};"
        + $"Username={UserName};SSL Mode=Require";
}
