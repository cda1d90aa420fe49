namespace VoicePlatform.AppHost.Processes;

/// <summary>A local account to drop privileges to.</summary>
public sealed record UnixUser(string Name, int Uid, int Gid)
{
    /// <summary>
    /// The account PostgreSQL should run as when we are root: <c>postgres</c> (created by the Debian package) or
    /// <c>nobody</c>; null when we are not root and need no switch.
    /// </summary>
    public static UnixUser? ForPostgres()
    {
        if (!PosixSignals.IsRoot) return null;
        return Find("postgres") ?? Find("nobody") ?? throw new InvalidOperationException(
            "Running as root and found neither a 'postgres' nor a 'nobody' account to run PostgreSQL as.");
    }

    public static UnixUser? Find(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name && int.TryParse(fields[2], out var uid) && int.TryParse(fields[3], out var gid))
                return new UnixUser(name, uid, gid);
        }
        return null;
    }
}
