using System.Globalization;
using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.ModelProfiles;

namespace VoicePlatform.Emulators.GeminiLive.Protocol;

/// <summary>
/// Validates a setup message the way the real service does: unknown field names and bad enum
/// values close 1007 with proto3-JSON style reasons; an unknown model closes 1008.
/// </summary>
internal static class SetupParser
{
    private static readonly HashSet<string> SetupFields =
    [
        "model", "generationConfig", "systemInstruction", "tools", "realtimeInputConfig", "sessionResumption",
        "contextWindowCompression", "inputAudioTranscription", "outputAudioTranscription", "proactivity",
        "historyConfig", "safetySettings",
    ];

    private static readonly HashSet<string> GenerationConfigFields =
    [
        "candidateCount", "maxOutputTokens", "temperature", "topP", "topK", "presencePenalty", "frequencyPenalty",
        "responseModalities", "speechConfig", "mediaResolution", "seed", "thinkingConfig", "enableAffectiveDialog",
        "translationConfig", "stopSequences", "responseLogprobs", "logprobs",
    ];

    private static readonly HashSet<string> RealtimeInputConfigFields = ["automaticActivityDetection", "activityHandling", "turnCoverage"];
    private static readonly HashSet<string> ActivityDetectionFields =
        ["disabled", "startOfSpeechSensitivity", "endOfSpeechSensitivity", "prefixPaddingMs", "silenceDurationMs"];
    private static readonly HashSet<string> ResumptionFields = ["handle", "transparent"];
    private static readonly HashSet<string> CompressionFields = ["triggerTokens", "slidingWindow"];

    private static readonly HashSet<string> Modalities = ["TEXT", "AUDIO", "IMAGE", "MODALITY_UNSPECIFIED"];
    private static readonly HashSet<string> StartSensitivities = ["START_SENSITIVITY_UNSPECIFIED", "START_SENSITIVITY_HIGH", "START_SENSITIVITY_LOW"];
    private static readonly HashSet<string> EndSensitivities = ["END_SENSITIVITY_UNSPECIFIED", "END_SENSITIVITY_HIGH", "END_SENSITIVITY_LOW"];
    private static readonly HashSet<string> ActivityHandlings = ["ACTIVITY_HANDLING_UNSPECIFIED", "START_OF_ACTIVITY_INTERRUPTS", "NO_INTERRUPTION"];
    private static readonly HashSet<string> TurnCoverages =
        ["TURN_COVERAGE_UNSPECIFIED", "TURN_INCLUDES_ONLY_ACTIVITY", "TURN_INCLUDES_ALL_INPUT", "TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO"];

    public static SessionSetup? Parse(JsonElement setup, GeminiEmulatorOptions options, string apiVersion, out CloseDirective? error)
    {
        try
        {
            return ParseCore(setup, options, apiVersion, out error);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
        {
            error = CloseDirective.Invalid();
            return null;
        }
    }

    private static SessionSetup? ParseCore(JsonElement setup, GeminiEmulatorOptions options, string apiVersion, out CloseDirective? error)
    {
        var strict = options.Strict.RejectUnknownFields;
        error = strict ? Unknown(setup, SetupFields, "setup") : null;
        if (error is not null)
        {
            return null;
        }

        var model = setup.TryGetProperty("model", out var m) ? m.GetString() ?? string.Empty : string.Empty;
        if (model.Length == 0)
        {
            error = CloseDirective.Invalid();
            return null;
        }

        var modelId = ModelIds.Normalize(model);
        if (options.Models.Count > 0 && !options.Models.Contains(modelId, StringComparer.Ordinal))
        {
            error = CloseDirective.Policy(
                $"models/{modelId} is not found for API version {apiVersion}, or is not supported for bidiGenerateContent. Call ListModels to see the list of available models and their supported methods.");
            return null;
        }

        var audio = true;
        if (setup.TryGetProperty("generationConfig", out var generation))
        {
            error = strict ? Unknown(generation, GenerationConfigFields, "setup.generation_config") : null;
            if (error is not null)
            {
                return null;
            }

            if (generation.TryGetProperty("responseModalities", out var modalities))
            {
                var values = modalities.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToList();
                for (var i = 0; i < values.Count; i++)
                {
                    if (!Modalities.Contains(values[i]))
                    {
                        error = BadEnum($"setup.generation_config.response_modalities[{i}]", values[i]);
                        return null;
                    }
                }

                // The Live API takes exactly one response modality.
                if (values.Count > 1)
                {
                    error = CloseDirective.Invalid();
                    return null;
                }

                audio = values.Count == 0 || values[0] != "TEXT";
            }
        }

        if (!audio && modelId.Contains("native-audio", StringComparison.Ordinal))
        {
            // Native-audio models produce AUDIO only.
            error = CloseDirective.Invalid();
            return null;
        }

        var system = setup.TryGetProperty("systemInstruction", out var si)
            ? si.ValueKind == JsonValueKind.String ? si.GetString() ?? string.Empty : ContentReader.ReadText(si)
            : string.Empty;

        var functions = new Dictionary<string, FunctionDeclaration>(StringComparer.Ordinal);
        var toolsText = string.Empty;
        if (setup.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            toolsText = tools.GetRawText();
            foreach (var tool in tools.EnumerateArray())
            {
                if (!tool.TryGetProperty("functionDeclarations", out var declarations))
                {
                    continue;
                }

                foreach (var declaration in declarations.EnumerateArray())
                {
                    var name = declaration.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                    var behavior = declaration.TryGetProperty("behavior", out var b) ? b.GetString() : null;
                    if (behavior is not (null or "BLOCKING" or "NON_BLOCKING" or "UNSPECIFIED"))
                    {
                        error = BadEnum("setup.tools.function_declarations.behavior", behavior);
                        return null;
                    }

                    if (name.Length > 0)
                    {
                        var description = declaration.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                        JsonElement? parameters = declaration.TryGetProperty("parameters", out var p) || declaration.TryGetProperty("parametersJsonSchema", out p)
                            ? p.Clone()
                            : null;
                        functions[name] = new FunctionDeclaration(name, behavior == "NON_BLOCKING", description, parameters);
                    }
                }
            }
        }

        var automatic = true;
        string? startSensitivity = null, endSensitivity = null;
        int? prefixPadding = null, silenceDuration = null;
        var interrupts = true;
        if (setup.TryGetProperty("realtimeInputConfig", out var ric))
        {
            error = strict ? Unknown(ric, RealtimeInputConfigFields, "setup.realtime_input_config") : null;
            if (error is not null)
            {
                return null;
            }

            if (ric.TryGetProperty("automaticActivityDetection", out var aad))
            {
                error = strict ? Unknown(aad, ActivityDetectionFields, "setup.realtime_input_config.automatic_activity_detection") : null;
                if (error is not null)
                {
                    return null;
                }

                automatic = !(aad.TryGetProperty("disabled", out var disabled) && disabled.ValueKind == JsonValueKind.True);
                startSensitivity = aad.TryGetProperty("startOfSpeechSensitivity", out var ss) ? ss.GetString() : null;
                endSensitivity = aad.TryGetProperty("endOfSpeechSensitivity", out var es) ? es.GetString() : null;
                if (startSensitivity is not null && !StartSensitivities.Contains(startSensitivity))
                {
                    error = BadEnum("setup.realtime_input_config.automatic_activity_detection.start_of_speech_sensitivity", startSensitivity);
                    return null;
                }

                if (endSensitivity is not null && !EndSensitivities.Contains(endSensitivity))
                {
                    error = BadEnum("setup.realtime_input_config.automatic_activity_detection.end_of_speech_sensitivity", endSensitivity);
                    return null;
                }

                prefixPadding = aad.TryGetProperty("prefixPaddingMs", out var pp) ? ReadInt(pp) : null;
                silenceDuration = aad.TryGetProperty("silenceDurationMs", out var sd) ? ReadInt(sd) : null;
            }

            if (ric.TryGetProperty("activityHandling", out var ah))
            {
                var value = ah.GetString() ?? string.Empty;
                if (!ActivityHandlings.Contains(value))
                {
                    error = BadEnum("setup.realtime_input_config.activity_handling", value);
                    return null;
                }

                interrupts = value != "NO_INTERRUPTION";
            }

            if (ric.TryGetProperty("turnCoverage", out var cov) && !TurnCoverages.Contains(cov.GetString() ?? string.Empty))
            {
                error = BadEnum("setup.realtime_input_config.turn_coverage", cov.GetString());
                return null;
            }
        }

        var resumption = setup.TryGetProperty("sessionResumption", out var sr) && sr.ValueKind == JsonValueKind.Object;
        string? handle = null;
        var transparent = false;
        if (resumption)
        {
            error = strict ? Unknown(sr, ResumptionFields, "setup.session_resumption") : null;
            if (error is not null)
            {
                return null;
            }

            handle = sr.TryGetProperty("handle", out var h) ? h.GetString() : null;
            transparent = sr.TryGetProperty("transparent", out var t) && t.ValueKind == JsonValueKind.True;
            if (transparent && !options.Resumption.TransparentSupported)
            {
                error = CloseDirective.Invalid();
                return null;
            }
        }

        var compression = setup.TryGetProperty("contextWindowCompression", out var cwc) && cwc.ValueKind == JsonValueKind.Object;
        long? trigger = null, target = null;
        if (compression)
        {
            error = strict ? Unknown(cwc, CompressionFields, "setup.context_window_compression") : null;
            if (error is not null)
            {
                return null;
            }

            trigger = cwc.TryGetProperty("triggerTokens", out var tt) ? ReadLong(tt) : null;
            if (cwc.TryGetProperty("slidingWindow", out var sw) && sw.TryGetProperty("targetTokens", out var tg))
            {
                target = ReadLong(tg);
            }
        }

        var initialHistory = setup.TryGetProperty("historyConfig", out var hc)
            && hc.TryGetProperty("initialHistoryInClientContent", out var ih) && ih.ValueKind == JsonValueKind.True;

        return new SessionSetup
        {
            Model = model,
            ModelId = modelId,
            AudioResponse = audio,
            SystemInstruction = system,
            SystemTokens = TokenCounter.Text(system) + TokenCounter.Text(toolsText),
            Functions = functions,
            AutomaticActivityDetection = automatic,
            StartSensitivity = startSensitivity,
            EndSensitivity = endSensitivity,
            PrefixPaddingMs = prefixPadding,
            SilenceDurationMs = silenceDuration,
            ActivityInterrupts = interrupts,
            ResumptionEnabled = resumption,
            ResumptionHandle = string.IsNullOrEmpty(handle) ? null : handle,
            Transparent = transparent,
            CompressionEnabled = compression,
            TriggerTokens = trigger,
            TargetTokens = target,
            InputTranscription = setup.TryGetProperty("inputAudioTranscription", out _),
            OutputTranscription = setup.TryGetProperty("outputAudioTranscription", out _),
            InitialHistoryInClientContent = initialHistory,
        };
    }

    private static CloseDirective? Unknown(JsonElement element, HashSet<string> known, string at)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return CloseDirective.Invalid();
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                return CloseDirective.Invalid($"Invalid JSON payload received. Unknown name \"{property.Name}\" at '{at}': Cannot find field.");
            }
        }

        return null;
    }

    private static CloseDirective BadEnum(string at, string? value) =>
        CloseDirective.Invalid($"Invalid value at '{at}', \"{value}\"");

    /// <summary>proto3 JSON accepts int64 as a string or a number.</summary>
    private static long ReadLong(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? long.Parse(value.GetString() ?? "0", NumberStyles.Integer, CultureInfo.InvariantCulture)
        : value.GetInt64();

    private static int ReadInt(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? int.Parse(value.GetString() ?? "0", NumberStyles.Integer, CultureInfo.InvariantCulture)
        : value.GetInt32();
}
