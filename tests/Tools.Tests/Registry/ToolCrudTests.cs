using System.Text.Json;
using Grpc.Core;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport.Webhooks;
using VoicePlatform.Tools.Registry;
using VoicePlatform.Tools.Schemas;

namespace VoicePlatform.Tools.Tests.Registry;

public class ToolCrudTests(ToolsServiceFixture fixture) : IClassFixture<ToolsServiceFixture>
{
    private const string Url = "https://hooks.example.com/orders";

    [Fact]
    public async Task Create_returns_the_secret_once_and_get_list_update_delete_work()
    {
        var tenant = Guid.NewGuid();
        var created = await fixture.RegisterAsync(tenant, "lookup_order", Url, timeoutMs: 5000, safeToRetry: true, loggable: true);
        Assert.StartsWith("whsec_", created.SigningSecret);
        Assert.True(created.SigningSecret.Length > 40);
        Assert.Equal("lookup_order", created.Tool.Name);
        Assert.Equal(5000, created.Tool.TimeoutMs);
        Assert.True(created.Tool.SafeToRetry);
        Assert.True(created.Tool.Loggable);
        Assert.Equal(Url, created.Tool.WebhookUrl);

        var fetched = await fixture.Client.GetToolAsync(new GetToolRequest { TenantId = tenant.ToString(), Name = "lookup_order" });
        Assert.Equal(created.Tool, fetched);
        Assert.DoesNotContain(created.SigningSecret, fetched.ToString());

        var listed = await fixture.Client.ListRegisteredToolsAsync(new ListRegisteredToolsRequest { TenantId = tenant.ToString() });
        Assert.Equal("lookup_order", Assert.Single(listed.Tools).Name);
        Assert.DoesNotContain(created.SigningSecret, listed.ToString());

        var updated = await fixture.Client.UpdateToolAsync(new UpdateToolRequest
        {
            TenantId = tenant.ToString(),
            Name = "lookup_order",
            Tool = new ToolSpec { Description = "Looks up an order.", WebhookUrl = "https://hooks.example.com/v2/orders" },
        });
        Assert.Equal("lookup_order", updated.Name);
        Assert.Equal("Looks up an order.", updated.Description);
        Assert.Equal(10_000, updated.TimeoutMs); // default applied again: PUT replaces the definition
        Assert.False(updated.SafeToRetry);
        Assert.Contains("\"object\"", updated.ParametersJson);
        Assert.True(updated.UpdatedAt.ToDateTime() >= created.Tool.UpdatedAt.ToDateTime());

        var rotated = await fixture.Client.RotateToolSecretAsync(new RotateToolSecretRequest { TenantId = tenant.ToString(), Name = "lookup_order" });
        Assert.StartsWith("whsec_", rotated.SigningSecret);
        Assert.NotEqual(created.SigningSecret, rotated.SigningSecret);

        await fixture.Client.DeleteToolAsync(new DeleteToolRequest { TenantId = tenant.ToString(), Name = "lookup_order" });
        var gone = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.GetToolAsync(new GetToolRequest { TenantId = tenant.ToString(), Name = "lookup_order" }));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_duplicate_name_is_already_exists()
    {
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "dup", Url);
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(tenant, "dup", Url));
        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        // The same name under another tenant is fine.
        await fixture.RegisterAsync(Guid.NewGuid(), "dup", Url);
    }

    [Fact]
    public async Task Another_tenants_tool_is_not_found_for_every_operation()
    {
        var owner = Guid.NewGuid();
        var other = Guid.NewGuid().ToString();
        await fixture.RegisterAsync(owner, "private_tool", Url);

        async Task AssertNotFound(Func<Task> call) =>
            Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(call)).StatusCode);

        await AssertNotFound(async () => await fixture.Client.GetToolAsync(new GetToolRequest { TenantId = other, Name = "private_tool" }));
        await AssertNotFound(async () => await fixture.Client.UpdateToolAsync(new UpdateToolRequest
        {
            TenantId = other, Name = "private_tool", Tool = new ToolSpec { WebhookUrl = Url },
        }));
        await AssertNotFound(async () => await fixture.Client.DeleteToolAsync(new DeleteToolRequest { TenantId = other, Name = "private_tool" }));
        await AssertNotFound(async () => await fixture.Client.RotateToolSecretAsync(new RotateToolSecretRequest { TenantId = other, Name = "private_tool" }));
        Assert.Empty((await fixture.Client.ListRegisteredToolsAsync(new ListRegisteredToolsRequest { TenantId = other })).Tools);

        var execution = await fixture.ExecuteAsync(Guid.Parse(other), "private_tool", """{"order_id":"1"}""");
        Assert.Equal(ToolOutcome.NotFound, execution.Outcome);

        // Still there for its owner.
        await fixture.Client.GetToolAsync(new GetToolRequest { TenantId = owner.ToString(), Name = "private_tool" });
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("has space", "name")]
    [InlineData("dots.not.allowed", "name")]
    [InlineData("a_name_that_is_longer_than_sixty_four_characters_which_is_the_limit_x", "name")]
    [InlineData("get_current_time", "name")]
    [InlineData("END_SESSION", "name")]
    [InlineData("settings", "name")]
    public async Task Invalid_names_are_rejected(string name, string param)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(Guid.NewGuid(), name, Url));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(param, error.Trailers.GetValue("param"));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    [InlineData("""{"type":"string"}""")]
    [InlineData("""{"properties":{"a":{"type":"string"}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"strin"}}}""")]
    [InlineData("""{"type":"object","required":"a"}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","minLength":-1}}}""")]
    public async Task Parameters_that_are_not_an_object_json_schema_are_rejected(string parameters)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(Guid.NewGuid(), "t", Url, parametersJson: parameters));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("parameters", error.Trailers.GetValue("param"));
    }

    [Fact]
    public async Task External_schema_references_are_rejected_without_being_fetched()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/schema.json", """{"type":"string"}""");
        foreach (var reference in new[] { server.Url("/schema.json"), "/etc/passwd", "file:///etc/passwd" })
        {
            var parameters = """{"type":"object","properties":{"a":{"$ref":""" + JsonSerializer.Serialize(reference) + "}}}";
            var error = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(Guid.NewGuid(), "t", Url, parametersJson: parameters));
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal("parameters", error.Trailers.GetValue("param"));
        }
        Assert.Empty(server.Received("/schema.json"));
    }

    [Fact]
    public async Task Internal_schema_references_work()
    {
        const string parameters = """
            {"type":"object","definitions":{"id":{"type":"string","minLength":2}},
             "properties":{"order_id":{"$ref":"#/definitions/id"}},"required":["order_id"]}
            """;
        await fixture.RegisterAsync(Guid.NewGuid(), "with_definitions", Url, parametersJson: parameters);
    }

    [Fact]
    public async Task A_rich_but_valid_schema_is_accepted_and_no_parameters_means_an_empty_object_schema()
    {
        const string rich = """
            {"type":"object","additionalProperties":false,
             "properties":{"kind":{"type":"string","enum":["a","b"]},"count":{"type":"integer","minimum":1},
                           "tags":{"type":"array","items":{"type":"string"}}},
             "required":["kind"]}
            """;
        await fixture.RegisterAsync(Guid.NewGuid(), "rich", Url, parametersJson: rich);
        var empty = await fixture.RegisterAsync(Guid.NewGuid(), "no_args", Url, parametersJson: "");
        Assert.Equal("object", System.Text.Json.JsonDocument.Parse(empty.Tool.ParametersJson).RootElement.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("http://hooks.example.com/x")]      // plain http to a host that is not allow-listed
    [InlineData("ftp://hooks.example.com/x")]
    [InlineData("/relative")]
    [InlineData("https://user:pass@hooks.example.com/x")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://192.168.0.10/hook")]
    [InlineData("https://127.0.0.2/hook")]           // loopback, but only 127.0.0.1 is allow-listed
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[::ffff:10.0.0.1]/hook")]
    public async Task Webhook_urls_that_are_not_https_or_target_forbidden_addresses_are_rejected(string url)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(Guid.NewGuid(), "t", url));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("webhook_url", error.Trailers.GetValue("param"));
    }

    [Fact]
    public async Task Plain_http_is_accepted_for_an_allow_listed_address()
    {
        var created = await fixture.RegisterAsync(Guid.NewGuid(), "local", "http://127.0.0.1:9/hook");
        Assert.Equal("http://127.0.0.1:9/hook", created.Tool.WebhookUrl);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(50)]
    [InlineData(60_001)]
    public async Task Timeouts_outside_the_limits_are_rejected(int timeoutMs)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(Guid.NewGuid(), "t", Url, timeoutMs: timeoutMs));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("timeout_ms", error.Trailers.GetValue("param"));
    }

    [Fact]
    public async Task A_tool_cannot_be_renamed_by_update()
    {
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "original", Url);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Client.UpdateToolAsync(new UpdateToolRequest
        {
            TenantId = tenant.ToString(), Name = "original", Tool = new ToolSpec { Name = "renamed", WebhookUrl = Url },
        }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Settings_default_to_all_built_ins_and_can_be_changed()
    {
        var tenant = Guid.NewGuid();
        var initial = await fixture.Client.GetToolSettingsAsync(new GetToolSettingsRequest { TenantId = tenant.ToString() });
        Assert.Equal(["end_session", "get_current_time"], initial.EnabledBuiltIns.Order());
        Assert.Empty(initial.DefaultTools);
        Assert.Equal(2, initial.AvailableBuiltIns.Count);

        await fixture.RegisterAsync(tenant, "lookup_order", Url);
        var set = new SetToolSettingsRequest { TenantId = tenant.ToString(), EnabledBuiltIns = { "end_session" }, DefaultTools = { "lookup_order", "end_session" } };
        var updated = await fixture.Client.SetToolSettingsAsync(set);
        Assert.Equal(["end_session"], updated.EnabledBuiltIns);
        Assert.Equal(["lookup_order", "end_session"], updated.DefaultTools);

        // ListTools (what the Router reads) follows the settings.
        var tools = await fixture.Client.ListToolsAsync(new ListToolsRequest { TenantId = tenant.ToString() });
        Assert.Equal(["end_session", "lookup_order"], tools.Tools.Select(t => t.Name).Order());
        Assert.Equal(["lookup_order", "end_session"], tools.DefaultTools);

        // A disabled built-in cannot be called.
        var time = await fixture.ExecuteAsync(tenant, "get_current_time", """{"timezone":"UTC"}""");
        Assert.Equal(ToolOutcome.NotFound, time.Outcome);

        // Deleting a default tool removes it from the defaults.
        await fixture.Client.DeleteToolAsync(new DeleteToolRequest { TenantId = tenant.ToString(), Name = "lookup_order" });
        var after = await fixture.Client.GetToolSettingsAsync(new GetToolSettingsRequest { TenantId = tenant.ToString() });
        Assert.Equal(["end_session"], after.DefaultTools);
    }

    public enum OversizeField { Parameters, Description, WebhookUrl }

    /// <summary>Each limit admits a value of exactly its size and refuses one character more, naming the limit.</summary>
    [Theory]
    [InlineData(OversizeField.Parameters, "parameters", ToolParametersSchema.MaxLength)]
    [InlineData(OversizeField.Description, "description", ToolSpecValidator.MaxDescriptionLength)]
    [InlineData(OversizeField.WebhookUrl, "webhook_url", ToolSpecValidator.MaxUrlLength)]
    public async Task Values_over_their_maximum_size_are_rejected(OversizeField field, string param, int maxLength)
    {
        ToolSpec Spec(string name, int length)
        {
            var spec = new ToolSpec { Name = name, Description = "d", WebhookUrl = Url };
            switch (field)
            {
                case OversizeField.Parameters:
                    const string prefix = """{"type":"object","description":""";
                    spec.ParametersJson = prefix + "\"" + new string('p', length - prefix.Length - 3) + "\"}";
                    Assert.Equal(length, spec.ParametersJson.Length);
                    break;
                case OversizeField.Description:
                    spec.Description = new string('d', length);
                    break;
                case OversizeField.WebhookUrl:
                    spec.WebhookUrl = "https://hooks.example.com/" + new string('u', length - "https://hooks.example.com/".Length);
                    Assert.Equal(length, spec.WebhookUrl.Length);
                    break;
            }
            return spec;
        }

        var tenant = Guid.NewGuid().ToString();
        await fixture.Client.CreateToolAsync(new CreateToolRequest { TenantId = tenant, Tool = Spec("at_the_limit", maxLength) });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.CreateToolAsync(new CreateToolRequest { TenantId = tenant, Tool = Spec("over_the_limit", maxLength + 1) }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(param, error.Trailers.GetValue("param"));
        Assert.Contains($"longer than {maxLength} characters", error.Status.Detail);

        // Update applies the same rules.
        var update = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Client.UpdateToolAsync(
            new UpdateToolRequest { TenantId = tenant, Name = "at_the_limit", Tool = Spec("at_the_limit", maxLength + 1) }));
        Assert.Equal(param, update.Trailers.GetValue("param"));
    }

    [Fact]
    public async Task More_default_tools_than_allowed_are_rejected()
    {
        var request = new SetToolSettingsRequest { TenantId = Guid.NewGuid().ToString() };
        request.DefaultTools.AddRange(Enumerable.Range(0, ToolSettingsStore.MaxDefaultTools + 1).Select(i => $"tool_{i}"));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Client.SetToolSettingsAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("default_tools", error.Trailers.GetValue("param"));
        Assert.Contains($"At most {ToolSettingsStore.MaxDefaultTools} default tools", error.Status.Detail);
    }

    [Fact]
    public async Task The_default_limit_is_100_tools_per_tenant()
    {
        var tenant = Guid.NewGuid();
        for (var i = 0; i < 100; i++) await fixture.RegisterAsync(tenant, $"tool_{i}", Url);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(tenant, "tool_100", Url));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("maximum of 100 tools", error.Status.Detail);
    }

    [Theory]
    [InlineData(new[] { "no_such_builtin" }, new string[0], "enabled_built_ins")]
    [InlineData(new[] { "end_session" }, new[] { "get_current_time" }, "default_tools")] // default that is not enabled
    [InlineData(new[] { "end_session" }, new[] { "someone_elses_tool" }, "default_tools")]
    public async Task Invalid_settings_are_rejected(string[] enabled, string[] defaults, string param)
    {
        await fixture.RegisterAsync(Guid.NewGuid(), "someone_elses_tool", Url);
        var request = new SetToolSettingsRequest { TenantId = Guid.NewGuid().ToString() };
        request.EnabledBuiltIns.AddRange(enabled);
        request.DefaultTools.AddRange(defaults);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Client.SetToolSettingsAsync(request));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(param, error.Trailers.GetValue("param"));
    }
}
