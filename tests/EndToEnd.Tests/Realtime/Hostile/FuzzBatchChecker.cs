using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Hostile;

/// <summary>
/// Sends a batch of fuzz messages on one session, then a sync marker (a <c>response.cancel</c> with no response active,
/// which every provider answers with an error carrying its event_id, in order after everything before it), and checks
/// what came back: each must-fail message got exactly one error with its event_id, no message got two, no error names
/// an id that was not sent, errors without an event_id match the messages whose id could not be read — and the session
/// is still open. A failure names the message that caused it.
/// </summary>
public sealed class FuzzBatchChecker(RealtimeTestClient client)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private int _syncs;

    public int MessagesSent { get; private set; }

    public int ErrorsReceived { get; private set; }

    public async Task RunAsync(IReadOnlyList<FuzzMessage> batch)
    {
        foreach (var message in batch)
        {
            await client.SendBytesAsync(message.Bytes, message.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text);
            MessagesSent++;
        }
        var syncId = $"sync_{++_syncs}";
        await client.SendRawAsync($"{{\"type\":\"response.cancel\",\"event_id\":\"{syncId}\"}}");

        var errorsById = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        var withoutId = new List<JsonElement>();
        while (true)
        {
            JsonElement next;
            try
            {
                next = await client.NextAsync(Wait);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException or InvalidOperationException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"The session ended or went silent (socket {client.Socket.State}, close {client.Socket.CloseStatus} {client.Socket.CloseStatusDescription}) " +
                    $"during a batch that began with:{Environment.NewLine}{string.Join(Environment.NewLine, batch.Take(20))}", e);
            }
            if (next.Type() != "error") continue;
            ErrorsReceived++;
            var body = next.GetProperty("error");
            var id = body.TryGetProperty("event_id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            if (id == syncId) break;
            if (id is null) withoutId.Add(body);
            else if (errorsById.TryGetValue(id, out var list)) list.Add(body);
            else errorsById[id] = [body];
        }

        foreach (var message in batch.Where(m => m.EventId is not null))
        {
            var count = errorsById.TryGetValue(message.EventId!, out var errors) ? errors.Count : 0;
            if (message.MustFail && count != 1)
                throw new Xunit.Sdk.XunitException($"Expected exactly one error echoing the event_id, got {count}, for {message}");
            if (count > 1)
                throw new Xunit.Sdk.XunitException($"Got {count} errors for one message: {string.Join("; ", errors!)} for {message}");
        }
        var sent = batch.Where(m => m.EventId is not null).Select(m => m.EventId!).ToHashSet(StringComparer.Ordinal);
        if (errorsById.Keys.FirstOrDefault(id => !sent.Contains(id)) is { } stranger)
            throw new Xunit.Sdk.XunitException($"An error names event_id '{stranger}', which no message of the batch carried: {errorsById[stranger][0]}");
        var unreadable = batch.Where(m => m.EventId is null).ToList();
        if (withoutId.Count != unreadable.Count)
        {
            throw new Xunit.Sdk.XunitException(
                $"{withoutId.Count} errors without an event_id for {unreadable.Count} messages whose id cannot be read. Errors: " +
                $"{string.Join("; ", withoutId.Select(e => e.GetProperty("message").GetString()))}{Environment.NewLine}Unreadable: {string.Join(Environment.NewLine, unreadable.Select(m => m.Class + " " + m.Bytes.Length))}");
        }
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }
}
