using System.ClientModel;
using OpenAI.Realtime;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>The official .NET SDK (NuGet <c>OpenAI</c>) pointed at the Gateway holds a conversation on either model.</summary>
[Collection(PlatformCollection.Name)]
public class NuGetOpenAISdkTests(EndToEndPlatform platform)
{
    public static TheoryData<string> Models => RealtimeConversationTests.Models;

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Dotnet_sdk_speaks_and_texts_through_the_gateway(string model)
    {
        var client = new RealtimeClient(new ApiKeyCredential(platform.Endpoints.DevApiKey),
            new RealtimeClientOptions { Endpoint = new Uri($"{platform.Endpoints.Gateway}/v1") });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var session = await client.StartConversationSessionAsync(model, cancellationToken: timeout.Token);
        await using var updates = session.ReceiveUpdatesAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        async Task<T> NextOf<T>() where T : RealtimeServerUpdate
        {
            while (await updates.MoveNextAsync())
            {
                if (updates.Current is T match) return match;
                Assert.False(updates.Current is RealtimeServerUpdateError, $"error event: {updates.Current.Kind}");
            }
            throw new InvalidOperationException("session ended");
        }

        await NextOf<RealtimeServerUpdateSessionCreated>();
        await session.ConfigureConversationSessionAsync(new RealtimeConversationSessionOptions { Instructions = "Answer briefly." }, timeout.Token);
        var updated = await NextOf<RealtimeServerUpdateSessionUpdated>();
        Assert.NotNull(updated);

        // Spoken turn: the SDK base64-encodes the PCM; server VAD finds the turn and the model answers.
        await session.SendInputAudioAsync(BinaryData.FromBytes(TestAudio.Pcm16(TestAudio.Silence(200), TestAudio.Tone(1200), TestAudio.Silence(1500))), timeout.Token);
        await NextOf<RealtimeServerUpdateInputAudioBufferSpeechStarted>();
        await NextOf<RealtimeServerUpdateInputAudioBufferSpeechStopped>();
        await NextOf<RealtimeServerUpdateInputAudioBufferCommitted>();
        var heard = await NextOf<RealtimeServerUpdateResponseOutputAudioTranscriptDone>();
        Assert.Matches(@"^I heard \d+\.\d seconds of audio\.$", heard.Transcript);
        await NextOf<RealtimeServerUpdateResponseDone>();

        await session.AddItemAsync(RealtimeItem.CreateUserMessageItem("Hello from dotnet"), timeout.Token);
        await session.StartResponseAsync(timeout.Token);
        var echo = await NextOf<RealtimeServerUpdateResponseOutputAudioTranscriptDone>();
        Assert.Equal("Echo: Hello from dotnet", echo.Transcript);
        var done = await NextOf<RealtimeServerUpdateResponseDone>();
        Assert.NotNull(done.Response);
    }
}
