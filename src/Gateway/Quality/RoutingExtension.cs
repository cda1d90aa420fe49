using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.Quality;

/// <summary>
/// Reads <c>session.created</c>'s documented <c>routing</c> extension (<c>{"route","experiment","arm","model",
/// "passed_over"}</c>) into the session's quality dimensions and connect-fallback events.
/// </summary>
public static class RoutingExtension
{
    /// <summary>The dimensions before the Router has said anything: the connected name and what the catalog knows of it.</summary>
    public static QualityDimensions Initial(SessionModel model) => model.Model is { } catalog
        ? new QualityDimensions(catalog.Id, catalog.Provider, catalog.Id == model.ConnectedAs ? null : model.ConnectedAs, null, null)
        : new QualityDimensions(model.ConnectedAs, "unknown", model.ConnectedAs, null, null);

    public static void Report(SessionQualityMeter quality, SessionModel model, JsonNode? routing)
    {
        var initial = Initial(model);
        var dimensions = initial with
        {
            Route = Text(routing?["route"]) ?? (routing is null ? initial.Route : null),
            ExperimentId = Text(routing?["experiment"]),
            ExperimentArm = Text(routing?["arm"]),
        };
        List<(string, string)> passedOver = [];
        if (routing?["passed_over"] is JsonArray skipped)
        {
            foreach (var step in skipped)
                if (Text(step?["model"]) is { } skippedModel) passedOver.Add((skippedModel, Text(step?["reason"]) ?? "unknown"));
        }
        quality.Routed(dimensions, passedOver);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
