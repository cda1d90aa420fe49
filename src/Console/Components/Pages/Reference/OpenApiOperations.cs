using System.Text.Json;

namespace VoicePlatform.Console.Components.Pages.Reference;

public sealed record ApiOperation(string Method, string Path, string? Summary);

/// <summary>The operations of the Gateway's OpenAPI document (<c>/openapi/v1.json</c>), grouped by tag.</summary>
public static class OpenApiOperations
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static async Task<IReadOnlyList<(string Tag, IReadOnlyList<ApiOperation> Operations)>> ReadAsync(HttpClient gateway, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(await gateway.GetStringAsync("/openapi/v1.json", ct));
        var operations = new List<(string Tag, ApiOperation Operation)>();
        if (!document.RootElement.TryGetProperty("paths", out var paths)) return [];
        foreach (var path in paths.EnumerateObject())
            foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
            {
                var tag = method.Value.TryGetProperty("tags", out var tags) && tags.GetArrayLength() > 0 ? tags[0].GetString() ?? "Other" : "Other";
                var summary = method.Value.TryGetProperty("summary", out var s) ? s.GetString() : null;
                operations.Add((tag, new ApiOperation(method.Name.ToUpperInvariant(), path.Name, summary)));
            }
        return [.. operations.GroupBy(o => o.Tag).Select(g => (g.Key, (IReadOnlyList<ApiOperation>)[.. g.Select(o => o.Operation)]))];
    }
}
