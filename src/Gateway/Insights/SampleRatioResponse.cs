using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Insights;

/// <summary>Chi-square goodness of fit of the arms' session counts against their weights; <c>mismatch</c> below p = 0.001.</summary>
public sealed class SampleRatioResponse
{
    [JsonPropertyName("chi_square")] public double ChiSquare { get; init; }
    [JsonPropertyName("p_value")] public double PValue { get; init; }
    [JsonPropertyName("mismatch")] public bool Mismatch { get; init; }
}
