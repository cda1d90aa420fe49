namespace VoicePlatform.Gateway.Routing;

/// <summary>An A/B experiment on one of your routes: 2–8 weighted arms, each a target like a route's.</summary>
public sealed class ExperimentBody
{
    public string? Name { get; set; }

    /// <summary>The route whose sessions the experiment splits.</summary>
    public string? Route { get; set; }

    public List<ExperimentArmBody>? Arms { get; set; }

    /// <summary>1–100 (default 100): the share of subjects that take part; the others get the route's own target.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("traffic_percent")] public int? TrafficPercent { get; set; }

    /// <summary><c>user</c> (default: the end user you name, falling back to the session) or <c>session</c>.</summary>
    public string? Subject { get; set; }
}

/// <summary>One arm: a unique name, a target and a positive integer weight.</summary>
public sealed class ExperimentArmBody
{
    public string? Name { get; set; }

    public System.Text.Json.Nodes.JsonNode? Target { get; set; }

    public int? Weight { get; set; }
}
