namespace VoicePlatform.ExperimentStatistics;

/// <summary>An experiment's results: the sample-ratio check on assignment and one report per configured arm.</summary>
public sealed record ExperimentReport(string ControlArm, SampleRatioResult SampleRatio, IReadOnlyList<ArmReport> Arms);
