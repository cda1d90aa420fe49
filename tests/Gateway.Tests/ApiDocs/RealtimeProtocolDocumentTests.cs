using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using VoicePlatform.Gateway.ApiDocs;
using VoicePlatform.Gateway.Realtime;
using YamlDotNet.RepresentationModel;

namespace VoicePlatform.Gateway.Tests.ApiDocs;

/// <summary>
/// The realtime protocol reference cannot drift from the code: every client event type the Gateway accepts is a message
/// of the AsyncAPI document's receive operation, and every server event type the Gateway and the Router write (found in
/// their source, extensions included) is a message of its send operation. The Gateway serves the document and the
/// rendered reference, linked from /docs.
/// </summary>
public sealed partial class RealtimeProtocolDocumentTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    private static readonly string[] Extensions =
        ["session.resumed", "session.draining", "session.model_changed", "session.limit_reached", "session.idle_warning", "response.function_call.cancelled"];

    [Fact]
    public void Every_client_event_the_gateway_accepts_is_a_documented_client_message()
    {
        var documented = Messages(Document(), "receiveClientEvents");
        var missing = ClientEventTranslator.SupportedEventTypes.Where(t => !documented.Contains(t)).ToList();
        Assert.True(missing.Count == 0, "not in docs/asyncapi/realtime.yaml as client events: " + string.Join(", ", missing));
        Assert.Equal(ClientEventTranslator.SupportedEventTypes.Order(), documented.Order());
    }

    [Fact]
    public void Every_server_event_the_gateway_and_router_write_is_a_documented_server_message()
    {
        var written = ServerEventTypesInSource();
        Assert.Superset(Extensions.ToHashSet(), written); // the scan itself finds what it must
        Assert.Contains("response.output_audio_transcript.done", written);

        var documented = Messages(Document(), "sendServerEvents");
        var missing = written.Where(t => !documented.Contains(t)).Order().ToList();
        Assert.True(missing.Count == 0, "not in docs/asyncapi/realtime.yaml as server events: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_extension_fields_are_documented()
    {
        var schemas = (YamlMappingNode)Document()["components"]["schemas"];
        var created = (YamlMappingNode)((YamlMappingNode)Document()["components"]["messages"])["session.created"]["payload"]["properties"];
        Assert.Contains("resume", created.Children.Keys.Select(k => k.ToString()));
        Assert.Contains("routing", created.Children.Keys.Select(k => k.ToString()));
        var session = ((YamlMappingNode)schemas["Session"]["properties"]).Children.Keys.Select(k => k.ToString()).ToList();
        Assert.Contains("recording", session);
        Assert.Contains("extensions", session);
        Assert.Contains("reasoning", session);
    }

    [Fact]
    public async Task The_gateway_serves_the_document_and_the_reference_page_linked_from_the_docs()
    {
        using var anonymous = context.First.CreateClient();
        using var yaml = await anonymous.GetAsync(RealtimeProtocolDocs.AsyncApiPath);
        Assert.Equal(HttpStatusCode.OK, yaml.StatusCode);
        Assert.Equal("application/yaml", yaml.Content.Headers.ContentType?.MediaType);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "asyncapi", "realtime.yaml")), await yaml.Content.ReadAsStringAsync());

        using var page = await anonymous.GetAsync(RealtimeProtocolDocs.PagePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<table>", html);
        foreach (var extension in Extensions) Assert.Contains($"<code>{extension}</code>", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("href=\"asyncapi/realtime.yaml\"", html); // relative to /docs/realtime: the served document

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var description = document.GetProperty("info").GetProperty("description").GetString();
        Assert.Contains($"]({RealtimeProtocolDocs.PagePath})", description);
        Assert.Contains($"]({RealtimeProtocolDocs.AsyncApiPath})", description);
    }

    /// <summary>The event types of an operation's messages: each a $ref to a channel message, which refers to a component
    /// message whose payload's <c>type</c> is a const.</summary>
    private static HashSet<string> Messages(YamlMappingNode document, string operation)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in (YamlSequenceNode)document["operations"][operation]["messages"])
        {
            var channelMessage = Resolve(document, ((YamlMappingNode)reference)["$ref"].ToString());
            var message = Resolve(document, ((YamlMappingNode)channelMessage)["$ref"].ToString());
            types.Add(message["payload"]["properties"]["type"]["const"].ToString());
        }
        return types;
    }

    private static YamlNode Resolve(YamlMappingNode document, string reference)
    {
        Assert.StartsWith("#/", reference);
        YamlNode node = document;
        foreach (var segment in reference[2..].Split('/')) node = node[segment];
        return node;
    }

    private static YamlMappingNode Document()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot(), "docs", "asyncapi", "realtime.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>
    /// Server event types written in the source of the Gateway, the Router (its Gemini translator among them) and the
    /// shared contracts: <c>["type"] = "…"</c> and <c>"…"u8</c> literals that name an event (dotted, or <c>error</c>),
    /// minus client event types (the Router sends those to providers) and object names (<c>realtime.session</c>, …).
    /// </summary>
    private static HashSet<string> ServerEventTypesInSource()
    {
        var root = RepositoryRoot();
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in new[] { "Gateway", "Router", "Contracts" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src", project), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
                var source = File.ReadAllText(file);
                foreach (Match match in EventTypeLiteral().Matches(source))
                {
                    var type = match.Groups["type"].Value;
                    if (type.StartsWith("realtime.", StringComparison.Ordinal) || ClientEventTranslator.SupportedEventTypes.Contains(type)) continue;
                    types.Add(type);
                }
            }
        }
        return types;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VoicePlatform.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("VoicePlatform.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"(?:\[""type""\]\s*=\s*""(?<type>[a-z_]+(?:\.[a-z_]+)+|error)"")|(?:""(?<type>(?:session|conversation|input_audio_buffer|output_audio_buffer|response|rate_limits|realtime)(?:\.[a-z_]+)+|error)""u8)")]
    private static partial Regex EventTypeLiteral();
}
