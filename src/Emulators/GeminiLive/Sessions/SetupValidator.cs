using VoicePlatform.Emulators.GeminiLive.Auth;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.ModelProfiles;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Transport;
using VoicePlatform.Emulators.GeminiLive.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The checks on a setup message before any session is created or resumed: auth, API version, the Vertex model
/// name, ephemeral-token constraints, parsing, then the model family's rules. The first failure is the close.
/// </summary>
internal static class SetupValidator
{
    public static ValidatedSetup? Validate(SetupMessage message, LiveRoute route, LiveAuth auth, GeminiEmulatorOptions options, out CloseDirective? refused)
    {
        if (!auth.Valid)
        {
            refused = auth.Failure!;
            return null;
        }

        if (!route.VersionServed)
        {
            var model = message.Setup.TryGetProperty("model", out var m) ? m.GetString() : null;
            refused = CloseDirective.Policy(
                $"{model} is not found for API version {route.ApiVersion}, or is not supported for bidiGenerateContent. Call ListModels to see the list of available models and their supported methods.");
            return null;
        }

        var onVertex = route.Surface == ApiSurface.Vertex;
        var element = message.Setup;
        var explicitVadSignal = false;
        if (onVertex)
        {
            // Vertex names models projects/…/publishers/google/models/{id}; the id selects the behaviour as on the Developer API.
            // explicitVadSignal is Vertex-only and taken out here.
            if (VertexSetup.Normalise(element, options.Vertex, options.Models, out explicitVadSignal, out var vertexRefused) is not { } normalised)
            {
                refused = vertexRefused!;
                return null;
            }

            element = normalised;
        }

        if (auth.Token?.Constraints is { } constraints)
        {
            element = SetupConstraints.Apply(element, constraints);
        }

        var setup = SetupParser.Parse(element, options, route.ApiVersion, out var error);
        if (setup is null)
        {
            refused = error ?? CloseDirective.Invalid();
            return null;
        }

        var profile = ModelProfile.For(setup.ModelId);
        if ((ModelSetupRules.Apply(element, setup, profile, options.Live38)
            ?? NativeAudio25Rules.Apply(element, setup.ModelId, profile, route.ApiVersion, onVertex, options)) is { } rejected)
        {
            refused = rejected;
            return null;
        }

        refused = null;
        return new ValidatedSetup(setup, profile, ThinkingSettings.Read(element), explicitVadSignal);
    }
}
