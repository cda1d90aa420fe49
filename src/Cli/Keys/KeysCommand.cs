using System.CommandLine;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Api;
using VoicePlatform.Cli.Output;

namespace VoicePlatform.Cli.Keys;

/// <summary>
/// <c>vp keys create|list|revoke</c>: tenant API keys through the operator API (<c>/v1/admin</c>), so these commands
/// authenticate with the operator key (<c>--operator-key</c>, <c>VOICEPLATFORM_OPERATOR_KEY</c> or endpoints.json), not a tenant key.
/// </summary>
public static class KeysCommand
{
    private static readonly Option<string?> OperatorKey = new("--operator-key")
    {
        Description = "Operator key (else VOICEPLATFORM_OPERATOR_KEY, else .apphost/endpoints.json)",
        Recursive = true,
    };
    private static readonly Option<string?> Tenant = new("--tenant") { Description = "The tenant's id (default: the local development tenant)" };
    private static readonly Option<string> Name = new("--name") { Description = "A name for the key", DefaultValueFactory = _ => "default" };
    private static readonly Argument<string> KeyId = new("key-id") { Description = "The key's id (the <id> of vpk_<id>_…)" };

    public static Command Create()
    {
        var create = new Command("create", "Issue an API key for a tenant (the only time the key is shown)") { Tenant, Name };
        CommandContext.SetAction(create, async (context, ct) =>
        {
            using var api = PlatformApiClient.ForOperator(context.Settings);
            var body = await api.SendAsync(HttpMethod.Post, $"/v1/admin/tenants/{TenantId(context)}/keys",
                new JsonObject { ["name"] = context.Parse.GetValue(Name) }, ct: ct);
            if (context.Json) return await Print(context, body);
            var key = JsonNode.Parse(body);
            await context.Error.WriteLineAsync($"key {JsonText.Cell(key?["id"])} ({JsonText.Cell(key?["name"])}) for tenant {JsonText.Cell(key?["tenant_id"])}; it is not shown again:");
            await context.Out.WriteLineAsync(JsonText.Cell(key?["key"]));
            return 0;
        }, parse => parse.GetValue(OperatorKey));

        var list = new Command("list", "List a tenant's keys (no secrets)") { Tenant };
        CommandContext.SetAction(list, async (context, ct) =>
        {
            using var api = PlatformApiClient.ForOperator(context.Settings);
            var body = await api.SendAsync(HttpMethod.Get, $"/v1/admin/tenants/{TenantId(context)}/keys", ct: ct);
            if (context.Json) return await Print(context, body);
            var table = new Table("ID", "NAME", "CREATED", "REVOKED");
            foreach (var key in JsonNode.Parse(body)?["data"]?.AsArray() ?? [])
                table.Add(JsonText.Cell(key?["id"]), JsonText.Cell(key?["name"]), JsonText.Cell(key?["created_at"]), JsonText.Cell(key?["revoked_at"]));
            table.WriteTo(context.Out);
            return 0;
        }, parse => parse.GetValue(OperatorKey));

        var revoke = new Command("revoke", "Revoke an API key; the sessions it opened end within seconds") { KeyId };
        CommandContext.SetAction(revoke, async (context, ct) =>
        {
            using var api = PlatformApiClient.ForOperator(context.Settings);
            await api.SendAsync(HttpMethod.Delete, $"/v1/admin/keys/{Uri.EscapeDataString(context.Parse.GetRequiredValue(KeyId))}", ct: ct);
            await context.Out.WriteLineAsync($"revoked {context.Parse.GetRequiredValue(KeyId)}");
            return 0;
        }, parse => parse.GetValue(OperatorKey));

        var command = new Command("keys", "Tenant API keys (operator API: needs the operator key)") { create, list, revoke };
        command.Options.Add(OperatorKey);
        return command;
    }

    private static string TenantId(CommandContext context) =>
        Uri.EscapeDataString(context.Parse.GetValue(Tenant) ?? context.Settings.DevTenantId
            ?? throw CliException.Usage("No tenant: pass --tenant <id> (the local development tenant is used only inside a checkout with .apphost/endpoints.json)."));

    private static async Task<int> Print(CommandContext context, string body)
    {
        await context.Out.WriteLineAsync(body);
        return 0;
    }
}
