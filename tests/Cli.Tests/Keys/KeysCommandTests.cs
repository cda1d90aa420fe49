using System.Text.Json.Nodes;
using VoicePlatform.Cli.Tests.Infrastructure;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Keys;

/// <summary>Keys are the operator API's: vp takes the operator key and the dev tenant from endpoints.json (or flags/environment).</summary>
[Collection(CliCollection.Name)]
public sealed class KeysCommandTests(CliPlatform platform)
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public async Task A_key_is_created_works_is_listed_and_once_revoked_is_refused()
    {
        using var checkout = new LocalCheckout(platform);

        var create = await Vp.RunInAsync(checkout.WorkingDirectory, NoEnvironment, "keys", "create", "--name", "cli-test");
        var key = create.Stdout.Trim();
        var created = JsonNode.Parse((await Vp.RunInAsync(checkout.WorkingDirectory, NoEnvironment, "keys", "create", "--name", "cli-json", "--json")).Stdout)!;
        var keyId = created["id"]!.GetValue<string>();
        var withKey = new Dictionary<string, string?> { ["VOICEPLATFORM_URL"] = platform.Endpoints.Gateway, ["VOICEPLATFORM_API_KEY"] = created["key"]!.GetValue<string>() };
        var before = await Vp.RunAsync(withKey, "models");
        var list = await Vp.RunInAsync(checkout.WorkingDirectory, NoEnvironment, "keys", "list");
        var revoke = await Vp.RunInAsync(checkout.WorkingDirectory, NoEnvironment, "keys", "revoke", keyId);
        var after = await Poll.UntilAsync(() => Vp.RunAsync(withKey, "models"), r => r.ExitCode != 0, TimeSpan.FromSeconds(15));

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Matches(@"^vpk_\S+$", key);
        Assert.Contains("it is not shown again", create.Stderr);
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Matches($@"(?m)^{keyId}\s+cli-json\s", list.Stdout);
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.True(after.ExitCode == 3, after.ToString());
    }

    [Fact]
    public async Task Without_the_operator_key_keys_cannot_be_managed()
    {
        var none = await Vp.RunAsync(platform.TenantEnvironment, "keys", "create", "--tenant", platform.Endpoints.DevTenantId);
        // A tenant key is not an operator key.
        var tenantKey = await Vp.RunAsync(platform.TenantEnvironment, "keys", "create", "--tenant", platform.Endpoints.DevTenantId,
            "--operator-key", platform.Endpoints.DevApiKey);
        var unknown = await Vp.RunAsync(platform.TenantEnvironment, "keys", "revoke", "nosuchkey", "--operator-key", platform.Endpoints.OperatorKey);

        Assert.True(none.ExitCode == 3, none.ToString());
        Assert.Contains("No operator key", none.Stderr);
        Assert.True(tenantKey.ExitCode == 3, tenantKey.ToString());
        Assert.True(unknown.ExitCode == 4, unknown.ToString());
    }
}
