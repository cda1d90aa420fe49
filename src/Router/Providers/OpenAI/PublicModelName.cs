using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Json;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// The session's <c>model</c> as the client named it. A provider reports its own name for the model (Azure OpenAI: the
/// deployment name); where that differs from the catalog id (a catalog deployment), session.created and session.updated
/// carry the catalog id, as for every other provider. Events are parsed only when the names differ.
/// </summary>
internal sealed class PublicModelName(string publicModel, string upstreamModel)
{
    public bool Differs { get; } = !string.Equals(publicModel, upstreamModel, StringComparison.Ordinal);

    public ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> serverEvent)
    {
        if (!Differs || RealtimeEventType.Read(serverEvent.Span) is not ("session.created" or "session.updated")) return serverEvent;
        if (JsonNode.Parse(serverEvent.Span) is not JsonObject message || message["session"] is not JsonObject session || !session.ContainsKey("model"))
            return serverEvent;
        session["model"] = publicModel;
        return WireJson.ToUtf8Bytes(message);
    }
}
