namespace VoicePlatform.ExperimentStatistics;

/// <summary>An experiment arm as configured: its name and its traffic weight.</summary>
public sealed record ArmSpec(string Name, int Weight);
