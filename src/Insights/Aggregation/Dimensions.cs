using VoicePlatform.Contracts.Events.Quality;

namespace VoicePlatform.Insights.Aggregation;

/// <summary>What facts are aggregated by. Absent route / experiment / arm are stored as '' in bucket keys.</summary>
public sealed record Dimensions(string Model, string Provider, string? Route, string? ExperimentId, string? ExperimentArm)
{
    public static Dimensions From(QualityDimensions d) => new(d.Model, d.Provider, Blank(d.Route), Blank(d.ExperimentId), Blank(d.ExperimentArm));

    public static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
