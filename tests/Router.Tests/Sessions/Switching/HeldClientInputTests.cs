using System.Text;
using VoicePlatform.Router.Sessions.Switching;

namespace VoicePlatform.Router.Tests.Sessions.Switching;

public class HeldClientInputTests
{
    private static List<string> Texts(HeldClientInput held) => [.. held.Frames.Select(f => Encoding.UTF8.GetString(held.Data(f).Span))];

    [Fact]
    public void Frames_not_yet_sent_keep_their_bytes_and_order_after_the_sent_ones_are_removed()
    {
        var held = new HeldClientInput();
        foreach (var (text, audio) in new[] { ("a1", true), ("e2", false), ("a3", true) })
            held.Hold(Encoding.UTF8.GetBytes(text), audio, audio ? null : "evt_" + text);

        held.RemoveFirst(1);
        held.Hold("e4"u8, isAudio: false, "evt_e4");

        Assert.Equal(["e2", "a3", "e4"], Texts(held));
        Assert.Equal([false, true, false], held.Frames.Select(f => f.IsAudio));
        Assert.Equal(["evt_e2", null, "evt_e4"], held.Frames.Select(f => f.EventId));

        held.RemoveFirst(3);
        Assert.Empty(held.Frames);
        held.Hold("a5"u8, isAudio: true, null);
        Assert.Equal(["a5"], Texts(held));
    }
}
