using System.CommandLine;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Output;

namespace VoicePlatform.Cli.Models;

/// <summary><c>vp models</c>: <c>GET /v1/models</c>, the catalog's models and the tenant's routes.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List the models and your routes (GET /v1/models)");
        CommandContext.SetAction(command, async (context, ct) =>
        {
            using var api = context.TenantApi();
            var body = await api.SendAsync(HttpMethod.Get, "/v1/models", ct: ct);
            if (context.Json)
            {
                await context.Out.WriteLineAsync(body);
                return 0;
            }
            var table = new Table("ID", "OWNED BY", "DESCRIPTION");
            foreach (var model in JsonNode.Parse(body)?["data"]?.AsArray() ?? [])
                table.Add(JsonText.Cell(model?["id"]), JsonText.Cell(model?["owned_by"]),
                    model?["route"] is { } route ? $"route → {JsonText.Cell(route["target"])}" : JsonText.Cell(model?["description"]));
            table.WriteTo(context.Out);
            return 0;
        });
        return command;
    }
}
