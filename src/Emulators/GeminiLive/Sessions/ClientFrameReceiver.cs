using System.Net.WebSockets;
using System.Threading.Channels;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The receive side of one connection: parses whole frames and posts them to the event loop's inbox, ending with a
/// <see cref="ClientGone"/>. It touches no session state.
/// </summary>
internal static class ClientFrameReceiver
{
    public static async Task RunAsync(WebSocket socket, ChannelWriter<ClientMessage> inbox, GeminiEmulatorOptions options, CancellationToken aborted)
    {
        var buffer = new byte[64 * 1024];
        long index = options.Resumption.IndexCountsSetup ? 0 : -1;
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), aborted);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    inbox.TryWrite(new ClientGone(index, Graceful: true));
                    break;
                }

                // Clients may send JSON as text or binary frames; both are accepted.
                var message = ClientMessageParser.Parse(buffer.AsMemory(0, length), index++, options.Strict);
                inbox.TryWrite(message);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            inbox.TryWrite(new ClientGone(index, Graceful: false));
        }
        finally
        {
            inbox.TryComplete();
        }
    }
}
