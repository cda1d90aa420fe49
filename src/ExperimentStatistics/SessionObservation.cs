namespace VoicePlatform.ExperimentStatistics;

/// <summary>
/// One session of an experiment, the unit of analysis (turns within a session are not independent).
/// </summary>
/// <param name="Arm">The arm the session was assigned to; sessions of arms not in the experiment (holdout) are ignored.</param>
/// <param name="Turns">The session's turns.</param>
/// <param name="Values">Latency-type metric name → the session's value (e.g. its mean TTFA in ms); absent = no data.</param>
/// <param name="Flags">Rate metric name → whether it happened in the session (e.g. "error_end"); absent = no data.</param>
public sealed record SessionObservation(string Arm, int Turns,
    IReadOnlyDictionary<string, double> Values,
    IReadOnlyDictionary<string, bool> Flags);
