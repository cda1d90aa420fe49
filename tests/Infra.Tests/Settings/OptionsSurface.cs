using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace VoicePlatform.Infra.Tests.Settings;

/// <summary>
/// The configuration a service binds to options types, read from its build output without loading it
/// (<see cref="MetadataLoadContext"/>): every options type with a <c>SectionName</c>/<c>Section</c> constant, plus the
/// sections its source binds by literal name (<c>Configure&lt;T&gt;(configuration.GetSection("Gateway"))</c>,
/// <c>GetSection("…").Get&lt;T&gt;()</c>). A setting such as <c>Gateway__Realtime__DrainGracePeriod</c> resolves to
/// <c>RealtimeOptions.DrainGracePeriod</c>, and its value must parse as that property's type.
/// </summary>
public sealed partial class OptionsSurface : IDisposable
{
    private readonly MetadataLoadContext _context;
    private readonly Dictionary<string, List<Type>> _sections = new(StringComparer.OrdinalIgnoreCase);

    public OptionsSurface(ServiceProject project)
    {
        var output = project.OutputDirectory;
        if (!Directory.Exists(output))
            throw new InvalidOperationException($"{output} does not exist: build the solution first (the settings tests read the services' options types from it).");
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var shared = Path.GetDirectoryName(Path.GetDirectoryName(runtime.TrimEnd(Path.DirectorySeparatorChar)))!;
        var aspNet = Directory.GetDirectories(Path.Combine(shared, "Microsoft.AspNetCore.App"))
            .OrderByDescending(d => d, StringComparer.Ordinal).First();
        var paths = Directory.GetFiles(output, "*.dll")
            .Concat(Directory.GetFiles(aspNet, "*.dll"))
            .Concat(Directory.GetFiles(runtime, "*.dll"))
            .GroupBy(Path.GetFileName).Select(g => g.First());
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths));

        var ours = Directory.GetFiles(output, "VoicePlatform.*.dll").Select(_context.LoadFromAssemblyPath).ToList();
        var types = ours.SelectMany(LoadableTypes).ToList();
        foreach (var type in types)
        {
            var section = type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType.FullName == "System.String" && f.Name is "SectionName" or "Section")
                .Select(f => f.GetRawConstantValue() as string).FirstOrDefault();
            if (section is not null) Add(section, type);
        }
        var source = project.Source;
        foreach (Match m in ConfigureLiteralSection().Matches(source).Concat(GetLiteralSection().Matches(source)))
        {
            var typeName = m.Groups["type"].Value;
            foreach (var type in types.Where(t => t.Name == typeName)) Add(m.Groups["section"].Value, type);
        }
    }

    /// <summary>Section (in environment form, <c>Gateway__Realtime</c>) → the options types bound there.</summary>
    public IReadOnlyDictionary<string, List<Type>> Sections => _sections;

    /// <summary>
    /// Null when <paramref name="key"/> names a property of an options type bound under one of its prefixes (and
    /// <paramref name="value"/>, when given, parses as that property's type); otherwise why not. Keys under no known
    /// section answer <see cref="Unbound"/>.
    /// </summary>
    public string? Check(string key, string? value)
    {
        var segments = key.Split("__");
        for (var length = segments.Length - 1; length >= 1; length--)
        {
            var section = string.Join("__", segments[..length]);
            if (!_sections.TryGetValue(section, out var types)) continue;
            var rest = segments[length..];
            var problems = types.Select(t => Resolve(t, rest, value)).ToList();
            return problems.Any(p => p is null) ? null : $"{key}: {problems[0]} ({string.Join(", ", types.Select(t => t.Name))} under {section})";
        }
        return Unbound;
    }

    public const string Unbound = "no options section";

    public void Dispose() => _context.Dispose();

    private void Add(string section, Type type)
    {
        var key = section.Replace(":", "__", StringComparison.Ordinal);
        if (!_sections.TryGetValue(key, out var list)) _sections[key] = list = [];
        if (!list.Contains(type)) list.Add(type);
    }

    private static string? Resolve(Type type, string[] path, string? value)
    {
        if (path.Length == 0) return ParseProblem(type, value);
        if (Element(type) is { } element)
            return Resolve(element, path[1..], value); // the segment is an index or a dictionary key
        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(KeyName(p), path[0], StringComparison.OrdinalIgnoreCase));
        if (property is null) return $"{type.Name} has no property {path[0]}";
        if (property.SetMethod is not { IsPublic: true } && Element(property.PropertyType) is null && IsScalar(property.PropertyType))
            return $"{type.Name}.{property.Name} is not settable";
        return Resolve(property.PropertyType, path[1..], value);
    }

    private static string KeyName(PropertyInfo property) =>
        property.CustomAttributes.FirstOrDefault(a => a.AttributeType.Name == "ConfigurationKeyNameAttribute")?
            .ConstructorArguments[0].Value as string ?? property.Name;

    private static Type? Element(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!type.IsGenericType || type.FullName?.StartsWith("System.Nullable", StringComparison.Ordinal) == true) return null;
        var arguments = type.GetGenericArguments();
        var name = type.GetGenericTypeDefinition().Name;
        return name.StartsWith("Dictionary", StringComparison.Ordinal) || name.StartsWith("IDictionary", StringComparison.Ordinal)
            || name.StartsWith("IReadOnlyDictionary", StringComparison.Ordinal) ? arguments[1]
            : name.StartsWith("List", StringComparison.Ordinal) || name.StartsWith("IList", StringComparison.Ordinal)
            || name.StartsWith("IReadOnlyList", StringComparison.Ordinal) || name.StartsWith("IEnumerable", StringComparison.Ordinal)
            || name.StartsWith("ICollection", StringComparison.Ordinal) || name.StartsWith("IReadOnlyCollection", StringComparison.Ordinal)
            || name.StartsWith("HashSet", StringComparison.Ordinal) || name.StartsWith("ISet", StringComparison.Ordinal) ? arguments[0]
            : null;
    }

    private static bool IsScalar(Type type) => ScalarName(type) is not null || type.IsEnum;

    private static string? ScalarName(Type type)
    {
        var name = type.FullName ?? "";
        if (name.StartsWith("System.Nullable`1", StringComparison.Ordinal)) return ScalarName(type.GetGenericArguments()[0]);
        return name is "System.String" or "System.TimeSpan" or "System.Int32" or "System.Int64" or "System.Double" or "System.Boolean"
            or "System.Uri" or "System.Decimal" or "System.Single" or "System.Int16" or "System.Byte" or "System.UInt16" or "System.UInt32" ? name : null;
    }

    private static string? ParseProblem(Type type, string? value)
    {
        if (type.FullName?.StartsWith("System.Nullable`1", StringComparison.Ordinal) == true) type = type.GetGenericArguments()[0];
        if (type.IsEnum)
            return value is null || type.GetEnumNames().Contains(value, StringComparer.OrdinalIgnoreCase) ? null : $"'{value}' is not one of {type.Name}'s values";
        var scalar = ScalarName(type);
        if (scalar is null) return $"it names {type.Name}, a section, not a value";
        if (value is null) return null;
        var invariant = CultureInfo.InvariantCulture;
        var ok = scalar switch
        {
            "System.TimeSpan" => TimeSpan.TryParse(value, invariant, out _),
            "System.Int32" or "System.Int16" or "System.Byte" or "System.UInt16" or "System.UInt32" => int.TryParse(value, invariant, out _),
            "System.Int64" => long.TryParse(value, invariant, out _),
            "System.Double" or "System.Single" or "System.Decimal" => double.TryParse(value, invariant, out _),
            "System.Boolean" => bool.TryParse(value, out _),
            "System.Uri" => Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _),
            _ => true,
        };
        return ok ? null : $"'{value}' does not parse as {scalar}";
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }

    [GeneratedRegex("""Configure<(?<type>\w+)>\(\s*\w+\.GetSection\(\s*"(?<section>[^"]+)"\s*\)\s*\)""")]
    private static partial Regex ConfigureLiteralSection();

    [GeneratedRegex("""GetSection\(\s*"(?<section>[^"]+)"\s*\)\.Get<(?<type>\w+)>""")]
    private static partial Regex GetLiteralSection();
}
