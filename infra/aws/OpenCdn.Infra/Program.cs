using Amazon.CDK;
using OpenCdn.Infra;

// `npx aws-cdk synth` / `deploy` run this (see cdk.json): one stack, every deployment choice a CloudFormation parameter.
var app = new App();
_ = new OpenCdnStack(app, "OpenCdn", new StackProps { Description = "OpenCdn control plane, ingest workers, origin bucket, job queue, catalog" });
app.Synth();
