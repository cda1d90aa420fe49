namespace VoicePlatform.ExperimentStatistics;

/// <summary>One arm's sessions gathered per metric: the values of each mean metric, and per rate metric how many
/// sessions had data and in how many it happened.</summary>
internal sealed class ArmSample
{
    private readonly Dictionary<string, List<double>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Sessions, int Happened)> _flags = new(StringComparer.Ordinal);

    public int Sessions { get; private set; }
    public long Turns { get; private set; }

    public void Add(SessionObservation session)
    {
        Sessions++;
        Turns += session.Turns;
        foreach (var (metric, value) in session.Values)
        {
            if (!double.IsFinite(value))
                throw new ArgumentException($"Metric '{metric}' has a non-finite value in a session of arm '{session.Arm}'.", nameof(session));
            if (!_values.TryGetValue(metric, out var list)) _values[metric] = list = [];
            list.Add(value);
        }
        foreach (var (metric, happened) in session.Flags)
        {
            var (sessions, count) = _flags.GetValueOrDefault(metric);
            _flags[metric] = (sessions + 1, count + (happened ? 1 : 0));
        }
    }

    public IReadOnlyList<double> ValuesOf(string metric) => _values.TryGetValue(metric, out var list) ? list : [];

    public (int Sessions, int Happened) FlagsOf(string metric) => _flags.GetValueOrDefault(metric);
}
