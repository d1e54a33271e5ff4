using System.Text.Json;
using System.Text.Json.Serialization;
using OpenCdn.Cli.Config;
using OpenCdn.Cli.Uploads;
using OpenCdn.Contracts.Api;

namespace OpenCdn.Cli.Api;

/// <summary>Every JSON shape the CLI reads or writes, serialized by generated code with the API's camelCase names.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(Credentials))]
[JsonSerializable(typeof(ResumeRecord))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(CreateTitleRequest))]
[JsonSerializable(typeof(TitleView))]
[JsonSerializable(typeof(List<TitleView>))]
[JsonSerializable(typeof(ProblemResponse))]
internal sealed partial class CliJson : JsonSerializerContext;
