namespace VoicePlatform.ExperimentStatistics;

/// <summary>The chi-square statistic, its p-value and whether it warrants a warning.</summary>
public readonly record struct SampleRatioResult(double ChiSquare, double PValue, bool Mismatch);
