using System.Globalization;

namespace VoicePlatform.TestSupport.Platform;

/// <summary>A process and its descendants, from <c>/proc/*/stat</c> (Linux).</summary>
public static class ProcessTree
{
    /// <summary><paramref name="root"/> first, then every process descending from it, as they are now.</summary>
    public static IReadOnlyList<int> Of(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            if (ParentOf(directory) is not { } parent) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
            if (children.TryGetValue(tree[i], out var list)) tree.AddRange(list);
        return tree;
    }

    private static int? ParentOf(string processDirectory)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText(Path.Combine(processDirectory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null; // exited meanwhile
        }
    }
}
