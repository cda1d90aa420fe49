using System.Globalization;
using System.Text;

namespace VoicePlatform.Bench.BackingLoadBenchmark;

/// <summary>
/// One run's figures. Every phase's counters have the idle rate (what the platform does with no session: heartbeats,
/// outbox polls, lease sweeps) taken off, so the per-session figures are what sessions add.
/// </summary>
public sealed record BackingLoadReport(
    DateTime At,
    int Sessions,
    string Model,
    double Seconds,
    double SpeakSeconds,
    string Note,
    int Cores,
    double IdleBusyShare,
    double BusyShare,
    int Turns,
    int Errors,
    string? LastError,
    Difference Idle,
    Difference Connect,
    Difference Steady,
    Difference Close,
    long RedisMemoryDelta,
    long RedisKeysDelta)
{
    public double TurnsPerSessionMinute => Turns / (Sessions * Steady.Seconds / 60);

    private static readonly (string Name, Func<Difference, double> Value)[] Counters =
    [
        ("Redis commands", d => d.RedisCommands),
        ("RabbitMQ messages published", d => d.RabbitReceived),
        ("RabbitMQ messages routed to queues", d => d.RabbitRouted),
        ("RabbitMQ messages delivered to consumers", d => d.RabbitDelivered),
        ("PostgreSQL transactions (commits)", d => d.PgCommits),
        ("PostgreSQL rows inserted", d => d.PgInserted),
        ("PostgreSQL rows updated", d => d.PgUpdated),
        ("PostgreSQL rows deleted", d => d.PgDeleted),
        ("PostgreSQL rows read (tup_fetched)", d => d.PgFetched),
        ("PostgreSQL WAL bytes", d => d.PgWalBytes),
    ];

    /// <summary>What sessions added in a phase: the phase's counter minus the idle rate over the phase's length.</summary>
    private double Added(Func<Difference, double> value, Difference phase)
    {
        var added = value(phase) - value(Idle) / Idle.Seconds * phase.Seconds;
        return Math.Abs(added) < 0.05 ? 0 : added; // no "-0" for what is noise around nothing
    }

    public string Markdown()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"{Sessions} concurrent sessions ({Model}), each speaking {SpeakSeconds:0} s then awaiting the reply: " +
            $"{TurnsPerSessionMinute:0.0} turns per session-minute; {Steady.Seconds:0} s measured; {Errors} errors. " +
            $"Machine busy: {IdleBusyShare:P0} idle window, {BusyShare:P0} measured window ({Cores} cores, shared).");
        if (Note.Length > 0) s.AppendLine().AppendLine(Note);
        s.AppendLine();
        s.AppendLine("| counter | idle platform, per s | per session start | per session-minute | 1,000 sessions, per s | per session end |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, value) in Counters)
        {
            var perSessionSecond = Added(value, Steady) / (Sessions * Steady.Seconds);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {value(Idle) / Idle.Seconds:0.#} | {Added(value, Connect) / Sessions:0.#} | {perSessionSecond * 60:0.#} | {perSessionSecond * 1000:0.#} | {Added(value, Close) / Sessions:0.#} |");
        }
        s.AppendLine();
        s.AppendLine("PostgreSQL by database, per session-minute (idle rate taken off): commits / rows written / rows fetched");
        s.AppendLine();
        foreach (var database in Steady.PgByDatabase.Keys.Order(StringComparer.Ordinal))
        {
            var perMinute = Enumerable.Range(0, 3).Select(i => Added(d => d.PgByDatabase.TryGetValue(database, out var v) ? v[i] : 0, Steady) / (Sessions * Steady.Seconds) * 60).ToArray();
            if (perMinute.All(v => Math.Abs(v) < 0.05)) continue;
            s.AppendLine(CultureInfo.InvariantCulture, $"- `{database}`: {perMinute[0]:0.#} / {perMinute[1]:0.#} / {perMinute[2]:0.#}");
        }
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"Redis memory held per live session: {RedisMemoryDelta / (double)Sessions / 1024:0.0} KiB ({RedisKeysDelta / (double)Sessions:0.0} keys), " +
            $"so about {RedisMemoryDelta / (double)Sessions * 1000 / (1024 * 1024):0.0} MiB per 1,000 sessions (INFO used_memory, after {Connect.Seconds + Steady.Seconds:0} s of sessions, minus before).");
        return s.ToString();
    }
}
