using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Router.Routing.Definitions;

/// <summary>
/// Reads route and experiment definitions from their REST bodies and checks everything that can be checked before a
/// session uses them, throwing a <see cref="RoutingError"/> that names the offending field: names, known models,
/// chains, route references without cycles, capabilities the session defaults need, arms, weights and traffic.
/// </summary>
public static partial class RoutingDefinitionParser
{
    public const int MinArms = 2;
    public const int MaxArms = 8;
    public const int MaxChainLength = 5;
    public const int MaxWeight = 10_000;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    public static RouteDefinition ParseRoute(JsonElement body, RoutingCatalog catalog, string? nameFromPath = null)
    {
        RequireObject(body, "body");
        string? name = nameFromPath, description = null;
        RouteTarget? target = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name":
                    var named = RequireString(property.Value, "name");
                    if (nameFromPath is not null && named != nameFromPath)
                        throw RoutingError.Invalid("name", $"The body names '{named}' but the URL names '{nameFromPath}'; a route cannot be renamed.");
                    name = named;
                    break;
                case "description":
                    description = property.Value.ValueKind == JsonValueKind.Null ? null : RequireString(property.Value, "description");
                    break;
                case "target":
                    target = ParseTarget(property.Value, "target", catalog, allowChain: true, allowRouteReference: true);
                    break;
                case "object":
                    break; // what GET returns may be PUT back
                default:
                    throw RoutingError.Unknown(property.Name);
            }
        }
        if (name is null) throw RoutingError.Missing("name");
        CheckName(name, "name");
        if (catalog.Models.TryResolve(name, out _))
            throw RoutingError.Invalid("name", $"The route name '{name}' is a catalog model's name; routes may not shadow models.");
        if (target is null) throw RoutingError.Missing("target");
        CheckNoCycle(name, target, catalog);
        return new RouteDefinition(name, target, description);
    }

    public static ExperimentDefinition ParseExperiment(JsonElement body, RoutingCatalog catalog)
    {
        RequireObject(body, "body");
        string? name = null, route = null, subject = "user";
        var traffic = 100;
        List<ExperimentArm>? arms = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name":
                    name = RequireString(property.Value, "name");
                    CheckName(name, "name");
                    break;
                case "route":
                    route = RequireString(property.Value, "route");
                    if (catalog.FindRoute(route) is null)
                        throw RoutingError.Invalid("route", $"No route named '{route}'; create it first (POST /v1/routes).");
                    break;
                case "arms":
                    arms = ParseArms(property.Value, catalog);
                    break;
                case "traffic_percent":
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out traffic) || traffic is < 1 or > 100)
                        throw RoutingError.Invalid("traffic_percent", "Invalid 'traffic_percent': expected an integer from 1 to 100.");
                    break;
                case "subject":
                    subject = RequireString(property.Value, "subject");
                    if (subject is not ("user" or "session"))
                        throw RoutingError.Invalid("subject", $"Invalid value: '{subject}'. Supported values are: 'user', 'session'.");
                    break;
                case "object" or "id" or "status" or "salt" or "created_at" or "assignments":
                    break; // what GET returns may be sent back; these fields are the platform's
                default:
                    throw RoutingError.Unknown(property.Name);
            }
        }
        if (name is null) throw RoutingError.Missing("name");
        if (route is null) throw RoutingError.Missing("route");
        if (arms is null) throw RoutingError.Missing("arms");
        return new ExperimentDefinition(name, route, arms, traffic, subject);
    }

    private static List<ExperimentArm> ParseArms(JsonElement value, RoutingCatalog catalog)
    {
        if (value.ValueKind != JsonValueKind.Array) throw RoutingError.WrongType("arms", "an array");
        var count = value.GetArrayLength();
        if (count is < MinArms or > MaxArms)
            throw RoutingError.Invalid("arms", $"An experiment has {MinArms} to {MaxArms} arms, but got {count}.");
        var arms = new List<ExperimentArm>();
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var at = $"arms[{index++}]";
            RequireObject(element, at);
            string? name = null;
            RouteTarget? target = null;
            int? weight = null;
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "name":
                        name = RequireString(property.Value, $"{at}.name");
                        CheckName(name, $"{at}.name");
                        break;
                    case "target":
                        target = ParseTarget(property.Value, $"{at}.target", catalog, allowChain: true, allowRouteReference: true);
                        break;
                    case "weight":
                        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var w) || w is < 1 or > MaxWeight)
                            throw RoutingError.Invalid($"{at}.weight", $"Invalid '{at}.weight': expected a positive integer up to {MaxWeight}.");
                        weight = w;
                        break;
                    default:
                        throw RoutingError.Unknown($"{at}.{property.Name}");
                }
            }
            if (name is null) throw RoutingError.Missing($"{at}.name");
            if (target is null) throw RoutingError.Missing($"{at}.target");
            if (weight is null) throw RoutingError.Missing($"{at}.weight");
            if (arms.Any(a => a.Name == name)) throw RoutingError.Invalid($"{at}.name", $"Two arms are named '{name}'; arm names must be unique.");
            arms.Add(new ExperimentArm(name, target, weight.Value));
        }
        return arms;
    }

    /// <summary>"gpt-realtime-2", {"model": …, "session": {…}} or {"fallback": [step, …]} (steps are single targets).</summary>
    private static RouteTarget ParseTarget(JsonElement value, string at, RoutingCatalog catalog, bool allowChain, bool allowRouteReference)
    {
        if (value.ValueKind == JsonValueKind.String)
            return Single(value.GetString()!, null, at, $"{at}", catalog, allowRouteReference);
        if (value.ValueKind != JsonValueKind.Object)
            throw RoutingError.WrongType(at, "a model name or an object with 'model' or 'fallback'");

        string? model = null;
        JsonObject? session = null;
        List<RouteTarget>? chain = null;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "model":
                    model = RequireString(property.Value, $"{at}.model");
                    break;
                case "session":
                    if (property.Value.ValueKind != JsonValueKind.Object) throw RoutingError.WrongType($"{at}.session", "an object");
                    session = JsonNode.Parse(property.Value.GetRawText())!.AsObject();
                    break;
                case "fallback" when allowChain:
                    chain = ParseChain(property.Value, $"{at}.fallback", catalog);
                    break;
                default:
                    throw RoutingError.Unknown($"{at}.{property.Name}");
            }
        }
        if (chain is not null)
        {
            if (model is not null || session is not null)
                throw RoutingError.Invalid($"{at}.fallback", $"'{at}' has either 'fallback' or 'model' (with 'session'), not both; give each step its own session defaults.");
            return new RouteTarget(null, null, chain);
        }
        if (model is null) throw RoutingError.Missing($"{at}.model");
        return Single(model, session, at, $"{at}.model", catalog, allowRouteReference);
    }

    private static List<RouteTarget> ParseChain(JsonElement value, string at, RoutingCatalog catalog)
    {
        if (value.ValueKind != JsonValueKind.Array) throw RoutingError.WrongType(at, "an array");
        var length = value.GetArrayLength();
        if (length is < 2 or > MaxChainLength)
            throw RoutingError.Invalid(at, $"A fallback chain has 2 to {MaxChainLength} steps, but got {length}.");
        // Each step is a concrete model: a fallback is about providers failing, not about indirection.
        return [.. value.EnumerateArray().Select((step, i) => ParseTarget(step, $"{at}[{i}]", catalog, allowChain: false, allowRouteReference: false))];
    }

    private static RouteTarget Single(string model, JsonObject? session, string at, string modelParam, RoutingCatalog catalog, bool allowRouteReference)
    {
        if (session is not null && session.ContainsKey("model"))
            throw RoutingError.Invalid($"{at}.session.model", $"Name the model in '{at}.model', not in its session defaults.");
        if (catalog.Models.TryResolve(model, out var catalogModel))
        {
            CheckCapabilities(catalogModel, session, at);
            return new RouteTarget(model, session, null);
        }
        if (allowRouteReference && catalog.FindRoute(model) is { } referenced)
        {
            foreach (var step in referenced.Target.Steps)
                if (step.Model is { } concrete && catalog.Models.TryResolve(concrete, out var stepModel)) CheckCapabilities(stepModel, session, at);
            return new RouteTarget(model, session, null);
        }
        throw RoutingError.Invalid(modelParam, $"The model '{model}' is neither a catalog model nor one of your routes{(allowRouteReference ? "" : " (a fallback step must name a catalog model)")}.");
    }

    /// <summary>Session defaults may only ask for what the model can do.</summary>
    private static void CheckCapabilities(CatalogModel model, JsonObject? session, string at)
    {
        if (session is null) return;
        if (!model.Capabilities.Tools && session["tools"] is JsonArray { Count: > 0 })
            throw RoutingError.Invalid($"{at}.session.tools", $"The model '{model.Id}' does not support tools.");
        if (!model.Capabilities.TextOutput && session["output_modalities"] is JsonArray modalities && modalities.Any(m => m?.GetValue<string>() == "text"))
            throw RoutingError.Invalid($"{at}.session.output_modalities", $"The model '{model.Id}' produces audio only; it cannot answer in text.");
        if (!model.Capabilities.InputTranscription && session["audio"]?["input"]?["transcription"] is JsonObject)
            throw RoutingError.Invalid($"{at}.session.audio.input.transcription", $"The model '{model.Id}' does not transcribe input audio.");
    }

    /// <summary>Following route references from <paramref name="name"/>'s target must never come back to it.</summary>
    private static void CheckNoCycle(string name, RouteTarget target, RoutingCatalog catalog)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { name };
        var next = target;
        while (next is { IsChain: false, Model: { } model } && !catalog.Models.TryResolve(model, out _))
        {
            if (!seen.Add(model))
                throw RoutingError.Invalid("target", $"The route '{name}' leads back to itself through '{model}' (a route cycle).");
            next = catalog.FindRoute(model)?.Target;
        }
    }

    private static void CheckName(string name, string param)
    {
        if (!NamePattern().IsMatch(name))
            throw RoutingError.Invalid(param, $"Invalid '{param}': '{name}' must match ^[a-z0-9][a-z0-9._-]{{0,63}}$ (lowercase letters, digits, '.', '_', '-'; at most 64).");
    }

    private static void RequireObject(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.Object) throw RoutingError.WrongType(param, "an object");
    }

    private static string RequireString(JsonElement value, string param) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw RoutingError.WrongType(param, "a string");
}
