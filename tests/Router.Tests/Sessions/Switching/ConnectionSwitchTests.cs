using System.Text;
using VoicePlatform.Router.Sessions.Switching;

namespace VoicePlatform.Router.Tests.Sessions.Switching;

/// <summary>The provider-neutral part of a connection switch: what is held, when the hold ends, whose end a close is. No socket.</summary>
public class ConnectionSwitchTests
{
    private sealed record Connection(string Name);

    private static readonly Connection Old = new("old");
    private static readonly Connection New = new("new");

    /// <summary>A client send as a provider session makes it: held during a switch, else "sent" on the current connection.</summary>
    private static async Task<string> SendAsync(ConnectionSwitch<Connection> connections, string frame, List<string> sent)
    {
        await connections.EnterSendAsync(CancellationToken.None);
        try
        {
            if (connections.Holding)
            {
                connections.Held.Hold(Encoding.UTF8.GetBytes(frame), isAudio: false, eventId: null);
                return "held";
            }
            sent.Add($"{connections.Current!.Name}:{frame}");
            return "sent";
        }
        finally
        {
            connections.ExitSend();
        }
    }

    private static List<string> Texts(HeldClientInput held) => [.. held.Frames.Select(f => Encoding.UTF8.GetString(held.Data(f).Span))];

    [Fact]
    public async Task Frames_during_a_switch_are_held_and_go_to_the_new_connection_after_what_it_is_given_first()
    {
        using var connections = new ConnectionSwitch<Connection>();
        connections.Open(Old);
        var sent = new List<string>();
        Assert.Equal("sent", await SendAsync(connections, "a", sent));

        await connections.BeginAsync(CancellationToken.None);
        Assert.Equal("held", await SendAsync(connections, "b", sent));
        Assert.Equal("held", await SendAsync(connections, "c", sent));
        connections.Propose(New);
        Assert.Same(New, connections.Candidate);
        Assert.False(connections.EndIsTheClients(Old)); // the switch owns the old connection's end now

        var swappedTo = "";
        await connections.CompleteAsync(New,
            swapped: () => swappedTo = connections.Current!.Name,
            handOver: next =>
            {
                sent.Add($"{next.Name}:replayed");
                sent.AddRange(Texts(connections.Held).Select(t => $"{next.Name}:{t}"));
                connections.Held.Clear();
                return Task.CompletedTask;
            });

        Assert.Equal("new", swappedTo);
        Assert.Null(connections.Candidate);
        Assert.Equal("sent", await SendAsync(connections, "d", sent));
        Assert.Equal(["old:a", "new:replayed", "new:b", "new:c", "new:d"], sent);
        Assert.True(connections.EndIsTheClients(New));
        Assert.False(connections.EndIsTheClients(Old)); // retired: its close is nobody's business
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_abandoned_switch_hands_the_held_frames_back_unless_the_old_connection_is_gone(bool oldGone)
    {
        using var connections = new ConnectionSwitch<Connection>();
        connections.Open(Old);
        var sent = new List<string>();
        await connections.BeginAsync(CancellationToken.None);
        await SendAsync(connections, "b", sent);
        connections.Propose(New);

        var handedBack = new List<string>();
        var gone = await connections.AbandonAsync(New, isGone: () => oldGone, handBack: g =>
        {
            if (!g) handedBack.AddRange(Texts(connections.Held));
            connections.Held.Clear();
            return Task.CompletedTask;
        });

        Assert.Equal(oldGone, gone);
        Assert.Equal(oldGone ? [] : ["b"], handedBack);
        Assert.Null(connections.Candidate);
        Assert.Same(Old, connections.Current);
        Assert.True(connections.EndIsTheClients(Old));
        Assert.Equal("sent", await SendAsync(connections, "c", sent));
    }

    [Fact]
    public async Task What_a_connection_records_about_its_end_is_kept_only_while_a_switch_owns_it()
    {
        using var connections = new ConnectionSwitch<Connection>();
        connections.Open(Old);
        var recorded = 0;
        Assert.False(connections.IfSwitching(() => recorded++));

        await connections.BeginAsync(CancellationToken.None);
        Assert.True(connections.IfSwitching(() => recorded++));
        await connections.AbandonAsync(null, () => false, _ => Task.CompletedTask);
        Assert.False(connections.IfSwitching(() => recorded++));
        Assert.Equal(1, recorded);
    }

    [Fact]
    public void A_connection_rebuilt_before_anything_is_sent_becomes_current_when_promoted()
    {
        using var connections = new ConnectionSwitch<Connection>();
        connections.Open(New, asCandidate: true);
        Assert.Null(connections.Current);
        Assert.False(connections.EndIsTheClients(New));

        connections.Promote(New);
        Assert.Same(New, connections.Current);
        Assert.Null(connections.Candidate);
        Assert.True(connections.EndIsTheClients(New));
    }
}
