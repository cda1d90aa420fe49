using System.Reflection;
using System.Text;

namespace VoicePlatform.ServiceDefaults.Tests;

/// <summary>
/// An assembly whose only manifest resources are the given migrations (named like the SDK names embedded files:
/// "<c>Fake.Migrations.&lt;file&gt;</c>"), so a test can add or break migrations between runs.
/// </summary>
internal sealed class InMemoryMigrationsAssembly(IReadOnlyDictionary<string, string> migrations) : Assembly
{
    public override string[] GetManifestResourceNames() =>
        [.. migrations.Keys.Select(file => $"Fake.Migrations.{file}"), "Fake.Resources.readme.txt"];

    public override Stream? GetManifestResourceStream(string name)
    {
        if (name == "Fake.Resources.readme.txt") return new MemoryStream("not a migration"u8.ToArray());
        var file = name["Fake.Migrations.".Length..];
        return migrations.TryGetValue(file, out var sql) ? new MemoryStream(Encoding.UTF8.GetBytes(sql)) : null;
    }
}
