using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using VoicePlatform.Tools.Webhooks;

namespace VoicePlatform.Tools.Tests.Webhooks;

/// <summary>
/// A DNS stand-in: each scripted host answers its scripted address sets in order, one per lookup, repeating the last
/// one; unscripted hosts do not resolve. Counts lookups per host.
/// </summary>
public sealed class ScriptedHostResolver : IWebhookHostResolver
{
    private readonly ConcurrentDictionary<string, Answers> _scripts = new(StringComparer.OrdinalIgnoreCase);

    public void Script(string host, params IPAddress[][] answers) => _scripts[host] = new Answers(answers);

    public int Lookups(string host) => _scripts.TryGetValue(host, out var script) ? script.Lookups : 0;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        _scripts.TryGetValue(host, out var script)
            ? Task.FromResult(script.Next())
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));

    private sealed class Answers(IPAddress[][] answers)
    {
        private int _lookups;

        public int Lookups => Volatile.Read(ref _lookups);

        public IPAddress[] Next() => answers[Math.Min(Interlocked.Increment(ref _lookups), answers.Length) - 1];
    }
}
