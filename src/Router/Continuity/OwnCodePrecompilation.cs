using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace VoicePlatform.Router.Continuity;

/// <summary>
/// JIT-compiles the platform's own code (the VoicePlatform.* assemblies the Router loads: connectors, relay, audio,
/// contracts) in the background at start, method by method, as a poor man's ReadyToRun (the crossgen package is not
/// available to this build). The framework ships precompiled; ours does not, and a Router that just restarted would
/// otherwise compile the provider connectors' resume paths while a crashed peer's sessions arrive all at once.
/// Generic methods and methods of generic types are skipped (they compile per instantiation).
/// </summary>
internal static class OwnCodePrecompilation
{
    private const BindingFlags AllDeclared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
        | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Compiles what it can; returns (methods compiled, elapsed).</summary>
    public static (int Methods, TimeSpan Elapsed) Run(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var compiled = 0;
        foreach (var assembly in OwnAssemblies())
        {
            foreach (var type in LoadableTypes(assembly))
            {
                if (cancellationToken.IsCancellationRequested) return (compiled, Stopwatch.GetElapsedTime(started));
                if (type.ContainsGenericParameters || type.IsInterface) continue;
                foreach (var method in type.GetMethods(AllDeclared).Cast<MethodBase>().Concat(type.GetConstructors(AllDeclared)))
                {
                    if (method.IsAbstract || method.ContainsGenericParameters || method.GetMethodBody() is null) continue;
                    try
                    {
                        RuntimeHelpers.PrepareMethod(method.MethodHandle);
                        compiled++;
                    }
                    catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMethodException or InvalidProgramException)
                    {
                        // Not compilable on its own (e.g. needs an instantiation): it compiles on first call as usual.
                    }
                }
            }
        }
        return (compiled, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>VoicePlatform.* assemblies referenced from the entry assembly, transitively.</summary>
    private static IEnumerable<Assembly> OwnAssemblies()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>();
        if (Assembly.GetEntryAssembly() is { } entry) pending.Enqueue(entry);
        while (pending.TryDequeue(out var assembly))
        {
            if (!seen.Add(assembly.GetName().Name ?? "")) continue;
            yield return assembly;
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name?.StartsWith("VoicePlatform.", StringComparison.Ordinal) != true || seen.Contains(reference.Name)) continue;
                Assembly? loaded = null;
                try
                {
                    loaded = Assembly.Load(reference);
                }
                catch (FileNotFoundException)
                {
                }
                if (loaded is not null) pending.Enqueue(loaded);
            }
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
