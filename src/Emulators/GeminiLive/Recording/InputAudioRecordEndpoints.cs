using System.Globalization;

namespace VoicePlatform.Emulators.GeminiLive.Recording;

/// <summary>
/// Test-only inspection of the input audio record, so end-to-end tests can prove every input byte reached
/// the provider exactly once and in order. No auth; answers 404 unless GeminiEmulator:Record:InputAudio is on.
/// </summary>
internal static class InputAudioRecordEndpoints
{
    public static WebApplication MapInputAudioRecord(this WebApplication app)
    {
        app.MapGet("/emulator/sessions", List);
        app.MapGet("/emulator/sessions/{id}/input-audio", Audio);
        app.MapDelete("/emulator/sessions", Clear);
        return app;
    }

    private static IResult List(InputAudioRecorder recorder) =>
        recorder.Enabled ? Results.Json(new InputAudioListing(recorder.List())) : Results.NotFound();

    private static IResult Audio(string id, InputAudioRecorder recorder, HttpContext context)
    {
        if (!recorder.Enabled || recorder.Find(id) is not { } record)
        {
            return Results.NotFound();
        }

        var (pcm, rate) = record.Read();
        context.Response.Headers["X-Audio-Sample-Rate"] = rate.ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(pcm, "application/octet-stream");
    }

    private static IResult Clear(InputAudioRecorder recorder)
    {
        if (!recorder.Enabled)
        {
            return Results.NotFound();
        }

        recorder.Clear();
        return Results.NoContent();
    }
}
