using VoicePlatform.Cli.Tests.Infrastructure;

namespace VoicePlatform.Cli.Tests.Configuration;

/// <summary>Where vp finds the gateway and key: flags, then environment, then .apphost/endpoints.json (with its dev CA for https).</summary>
[Collection(CliCollection.Name)]
public sealed class ConfigurationTests(CliPlatform platform)
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public async Task Without_flags_or_environment_the_endpoints_file_above_the_working_directory_is_used()
    {
        using var checkout = new LocalCheckout(platform);

        var result = await Vp.RunInAsync(checkout.WorkingDirectory, NoEnvironment, "models");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("gpt-realtime-2", result.Stdout);
    }

    [Fact]
    public async Task Https_is_trusted_through_the_dev_CA_of_the_endpoints_file_and_only_then()
    {
        using var checkout = new LocalCheckout(platform);

        var trusted = await Vp.RunInAsync(checkout.WorkingDirectory, NoEnvironment, "models", "--url", platform.Endpoints.GatewayTls);
        var untrusted = await Vp.RunAsync(platform.TenantEnvironment, "models", "--url", platform.Endpoints.GatewayTls);
        var talk = await Vp.RunInAsync(checkout.WorkingDirectory, NoEnvironment, "talk", "--model", "gpt-realtime-2", "--text", "over tls",
            "--url", platform.Endpoints.GatewayTls);

        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.Contains("gemini-3.1-flash-live", trusted.Stdout);
        // Outside the checkout nothing vouches for the dev CA: the certificate is refused, not waved through.
        Assert.True(untrusted.ExitCode == 5, untrusted.ToString());
        Assert.Contains("Cannot connect", untrusted.Stderr);
        Assert.True(talk.ExitCode == 0, talk.ToString());
        Assert.Contains("assistant: Echo: over tls", talk.Stdout);
    }

    [Fact]
    public async Task Flags_win_over_the_environment()
    {
        var environment = new Dictionary<string, string?>(platform.TenantEnvironment) { ["VOICEPLATFORM_API_KEY"] = "vpk_nobody_wrongsecret" };

        var withFlag = await Vp.RunAsync(environment, "models", "--api-key", platform.Endpoints.DevApiKey);
        var withoutFlag = await Vp.RunAsync(environment, "models");

        Assert.True(withFlag.ExitCode == 0, withFlag.ToString());
        Assert.True(withoutFlag.ExitCode == 3, withoutFlag.ToString());
        Assert.Contains("invalid_api_key", withoutFlag.Stderr);
    }

    [Fact]
    public async Task No_gateway_anywhere_is_a_usage_error_and_an_unreachable_one_exits_5()
    {
        var nothing = await Vp.RunAsync(NoEnvironment, "models");
        var unreachable = await Vp.RunAsync(NoEnvironment, "models", "--url", "http://127.0.0.1:9", "--api-key", "vpk_x_y");

        Assert.True(nothing.ExitCode == 2, nothing.ToString());
        Assert.Contains("VOICEPLATFORM_URL", nothing.Stderr);
        Assert.True(unreachable.ExitCode == 5, unreachable.ToString());
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error()
    {
        var result = await Vp.RunAsync(platform.TenantEnvironment, "nonsense");

        Assert.True(result.ExitCode == 2, result.ToString());
    }
}
