using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Tests;

/// <summary>Ports handed out stay reserved against other processes on the machine while this one lives.</summary>
public class FreePortsTests
{
    private static readonly string ReservationDirectory = Path.Combine(Path.GetTempPath(), "voiceplatform-ports");

    [Fact]
    public void A_port_whose_lock_file_another_process_holds_is_not_handed_out()
    {
        var first = FreePorts.Next();
        var next = first + 1; // where the probe goes next (ports are probed upward)
        Directory.CreateDirectory(ReservationDirectory);
        // A second open file description of the lock, as another process's would be: its flock conflicts with ours.
        using var otherProcess = new FileStream(Path.Combine(ReservationDirectory, $"{next}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var handed = FreePorts.Next();

        Assert.NotEqual(next, handed);
        Assert.True(handed > next || handed < first, $"{handed} after {first}");
    }

    [Fact]
    public void A_handed_out_port_is_held_by_its_lock_file()
    {
        var port = FreePorts.Next();

        var path = Path.Combine(ReservationDirectory, $"{port}.lock");
        Assert.Throws<IOException>(() => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None).Dispose());
    }
}
