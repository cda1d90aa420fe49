using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VoicePlatform.Emulators.InputAudioRecording;

/// <summary>
/// Test-only inspection of an emulator's input audio record (<see cref="IInputAudioRecords"/> from DI), so end-to-end
/// tests can prove every input byte reached the provider exactly once and in order. No auth; answers 404 unless the
/// emulator's Record:InputAudio setting is on.
/// </summary>
public static class InputAudioRecordEndpoints
{
    public static WebApplication MapInputAudioRecord(this WebApplication app)
    {
        app.MapGet("/emulator/sessions", List);
        app.MapGet("/emulator/sessions/{id}/input-audio", Audio);
        app.MapDelete("/emulator/sessions", Clear);
        return app;
    }

    private static IResult List(IInputAudioRecords records) =>
        records.Enabled ? Results.Json(new InputAudioListing(records.List())) : Results.NotFound();

    private static IResult Audio(string id, IInputAudioRecords records, HttpContext context)
    {
        if (!records.Enabled || records.Find(id) is not { } record)
        {
            return Results.NotFound();
        }

        var (pcm, rate) = record.Read();
        context.Response.Headers["X-Audio-Sample-Rate"] = rate.ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(pcm, "application/octet-stream");
    }

    private static IResult Clear(IInputAudioRecords records)
    {
        if (!records.Enabled)
        {
            return Results.NotFound();
        }

        records.Clear();
        return Results.NoContent();
    }
}
