using VoicePlatform.Infra.Tests.Rendering;

namespace VoicePlatform.Infra.Tests;

/// <summary>
/// Every rendered object validates against its OpenAPI schema (npm kubernetes-models: the Kubernetes API, Gateway
/// API, KEDA and Prometheus Operator models): the types, enums, formats and required fields the strict typed loading
/// (<see cref="StrictLoadingTests"/>) does not check.
/// </summary>
public sealed class SchemaValidationTests
{
    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Every_object_validates_against_its_schema(string overlay)
    {
        var yaml = RenderedManifests.Of(overlay).Yaml;

        var (exitCode, output) = SchemaValidator.Validate(yaml);

        Assert.True(exitCode == 0, output);
        var documents = yaml.Split("\n---\n").Length;
        Assert.Contains($"{documents} objects valid, 0 invalid", output);
    }

    [Fact]
    public void A_value_outside_an_enum_is_rejected()
    {
        var yaml = RenderedManifests.Of("dev").Yaml;
        Assert.Contains("imagePullPolicy: IfNotPresent", yaml);

        var (exitCode, output) = SchemaValidator.Validate(ReplaceFirst(yaml, "imagePullPolicy: IfNotPresent", "imagePullPolicy: Sometimes"));

        Assert.Equal(1, exitCode);
        Assert.Matches(@"Deployment/\S+: /spec/template/spec/containers/0/imagePullPolicy must be equal to one of the allowed values", output);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_rejected()
    {
        var yaml = RenderedManifests.Of("dev").Yaml;
        Assert.Contains("containerPort: 8080", yaml);

        var (exitCode, output) = SchemaValidator.Validate(ReplaceFirst(yaml, "containerPort: 8080", "containerPort: http"));

        Assert.Equal(1, exitCode);
        Assert.Matches(@"/containers/0/ports/\d+/containerPort must be integer", output);
    }

    [Fact]
    public void A_custom_resource_is_validated_by_its_CRD_model()
    {
        // The HTTPRoute's path match type is an enum of the Gateway API's CRD (Exact, PathPrefix, RegularExpression).
        var yaml = RenderedManifests.Of("production").Yaml;
        Assert.Contains("type: PathPrefix", yaml);

        var (exitCode, output) = SchemaValidator.Validate(ReplaceFirst(yaml, "type: PathPrefix", "type: Prefix"));

        Assert.Equal(1, exitCode);
        Assert.Matches(@"HTTPRoute/gateway: /spec/rules/\d+/matches/\d+/path/type must be equal to one of the allowed values", output);
    }

    [Fact]
    public void An_object_no_model_covers_is_a_failure_not_a_pass()
    {
        const string yaml = """
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: unknown
            """;

        var (exitCode, output) = SchemaValidator.Validate(yaml);

        Assert.Equal(1, exitCode);
        Assert.Contains("Widget/unknown: no kubernetes-models model", output);
    }

    private static string ReplaceFirst(string text, string find, string replacement)
    {
        var index = text.IndexOf(find, StringComparison.Ordinal);
        return text[..index] + replacement + text[(index + find.Length)..];
    }
}
