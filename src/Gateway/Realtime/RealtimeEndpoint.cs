using VoicePlatform.Contracts.Realtime;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ApiKeys.Throttling;
using VoicePlatform.Gateway.ClientSecrets;
using VoicePlatform.Gateway.Recordings;
using VoicePlatform.Gateway.SessionLimits;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.ModelCatalog;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// <c>GET /v1/realtime?model=…</c>: the OpenAI Realtime GA front-end. Everything that can be refused over HTTP is
/// refused before the upgrade (401 for keys, 400 for non-WebSocket requests); model problems are reported as an
/// <c>error</c> event and a close, as OpenAI does.
/// </summary>
public static class RealtimeEndpoint
{
    public const string ClientProtocol = "openai-realtime";
    private const string RealtimeSubprotocol = "realtime";

    public static IServiceCollection AddRealtimeFrontEnd(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RealtimeOptions>(configuration.GetSection(RealtimeOptions.SectionName));
        services.AddSingleton<RealtimeMetrics>();
        services.AddSingleton<SessionResumeTokens>();
        services.AddSingleton<GatewayDrain>();
        return services;
    }

    public static IEndpointRouteBuilder MapRealtimeEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/realtime", HandleAsync).WithTags("Realtime"); // the document's tag, not the class name
        return app;
    }

    private static async Task HandleAsync(HttpContext context, TenantKeyAuthenticator authenticator, ClientSecretStore clientSecrets,
        ApiKeyStore apiKeys, ModelDirectory catalog, RouterSessions.IRouterSessionStreams router, IOptionsMonitor<RealtimeOptions> options,
        RealtimeMetrics metrics, SessionResumeTokens resumeTokens, GatewayDrain drain, SessionAdmission admission, LiveSessionLimits liveLimits,
        RecordingStorage recordingStorage, RecordingSettingsStore recordingSettings, RecordingStoredPublisher recordingPublisher,
        AuthFailureThrottle authThrottle, LiveKeySessions keySessions, TimeProvider clock,
        Quality.IQualityEventSink qualityEvents, Quality.QualityMetrics qualityMetrics, ILoggerFactory loggers)
    {
        if (drain.IsDraining)
        {
            await OpenAIError.Result(StatusCodes.Status503ServiceUnavailable, "server_error", "server_shutting_down",
                "This Gateway instance is shutting down; connect again (another instance will take the session).").ExecuteAsync(context);
            return;
        }

        var setup = new SessionSetupTimer(metrics, clock);
        var presented = TenantKeyReader.Read(context.Request);
        if (string.IsNullOrEmpty(presented))
        {
            await OpenAIError.InvalidApiKey("You didn't provide an API key. Provide it in the Authorization header (Bearer <key>) "
                + "or the 'openai-insecure-api-key.<key>' WebSocket subprotocol.").ExecuteAsync(context);
            return;
        }
        if (authThrottle.RefusedFor(context, presented) is { } throttled)
        {
            await AuthFailureThrottle.Refusal(context, throttled).ExecuteAsync(context);
            return;
        }
        AuthenticatedTenant? tenant;
        ClientSecret? clientSecret = null;
        if (ClientSecretStore.LooksLikeClientSecret(presented))
        {
            // An ephemeral key: valid until its expiry, and only while the API key that minted it is not revoked.
            try
            {
                clientSecret = await clientSecrets.FindAsync(presented);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                await OpenAIError.Result(StatusCodes.Status503ServiceUnavailable, "server_error", "service_unavailable",
                    "Ephemeral keys cannot be checked right now; retry shortly.").ExecuteAsync(context);
                return;
            }
            if (clientSecret is null || await apiKeys.FindAsync(clientSecret.KeyId, context.RequestAborted) is not { IsRevoked: false })
            {
                authThrottle.RecordFailure(context, presented);
                await OpenAIError.InvalidApiKey("The ephemeral key is unknown, has expired, or its API key was revoked.").ExecuteAsync(context);
                return;
            }
            tenant = new AuthenticatedTenant(clientSecret.TenantId, clientSecret.KeyId);
        }
        else
        {
            tenant = await authenticator.AuthenticateAsync(presented, context.RequestAborted);
        }
        if (tenant is null)
        {
            authThrottle.RecordFailure(context, presented);
            await OpenAIError.InvalidApiKey("Incorrect API key provided. The key is unknown or has been revoked.").ExecuteAsync(context);
            return;
        }
        setup.Ended(SessionSetupTimer.Phase.Authenticate);
        var logger = loggers.CreateLogger("VoicePlatform.Gateway.Realtime");
        // Read now, beside admission and the upgrade: it is only needed once the session runs (set-up latency).
        var recordingDefault = ReadRecordingDefaultAsync(recordingStorage, recordingSettings, tenant.TenantId, logger, context.RequestAborted);
        // Client resume: session id + resume token (query parameters or headers) instead of a model.
        var resumeSessionId = FirstOf(context, "session_id", "X-VoicePlatform-Session-Id");
        ResumableSession? resumed = null;
        if (resumeSessionId is not null)
        {
            var token = FirstOf(context, "resume_token", "X-VoicePlatform-Resume-Token") ?? "";
            resumed = await resumeTokens.ValidateAsync(resumeSessionId, tenant.TenantId.ToString(), token);
            if (resumed is null)
            {
                await OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", "session_not_found",
                    "No resumable session with this id and resume token (it ended more than the resume window ago, or the token is wrong).",
                    "session_id").ExecuteAsync(context);
                return;
            }
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "websocket_required",
                "This endpoint only accepts WebSocket connections (GET with Upgrade: websocket).").ExecuteAsync(context);
            return;
        }

        var model = resumed?.Model ?? context.Request.Query["model"].ToString();
        if (resumed is null && clientSecret?.Model is { } pinnedModel)
        {
            if (model.Length > 0 && model != pinnedModel)
            {
                await OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "model_mismatch",
                    $"This ephemeral key is for model '{pinnedModel}'; connect without a model or with that one.", "model").ExecuteAsync(context);
                return;
            }
            model = pinnedModel;
        }

        var (subject, badSubject) = SessionSubject.Read(context, resumed is null ? clientSecret?.User : null);
        if (badSubject is not null)
        {
            await badSubject.ExecuteAsync(context);
            return;
        }

        // Budget, starts per minute and concurrent sessions, refused over HTTP (429) as OpenAI refuses quota and rate
        // limits. A session without a model is refused after the upgrade below and takes nothing; a name that is not a
        // catalog model may be one of the tenant's routes, which the Router resolves (and refuses if it is not).
        var sessionId = resumeSessionId ?? RealtimeIds.New("sess");
        SessionSlot? slot = null;
        if (model.Length > 0)
        {
            (slot, var refusal) = await admission.AdmitAsync(tenant, sessionId, resumed is not null, context.RequestAborted);
            if (refusal is not null)
            {
                metrics.ClientError(refusal.Code);
                await refusal.WriteAsync(context);
                return;
            }
        }
        await using var heldSlot = slot;
        setup.Ended(SessionSetupTimer.Phase.Admit);

        var requested = context.WebSockets.WebSocketRequestedProtocols;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            // Browsers fail the handshake unless the server picks one of the offered subprotocols.
            SubProtocol = requested.Contains(RealtimeSubprotocol) ? RealtimeSubprotocol : null,
            DangerousEnableCompression = false,
            // Pings with a pong deadline: a peer that stopped answering (gone without a TCP close) is dropped, and its
            // session ends as if it had left.
            KeepAliveInterval = options.CurrentValue.KeepAliveInterval,
            KeepAliveTimeout = options.CurrentValue.KeepAliveTimeout,
        });
        var opened = clock.GetTimestamp(); // the session timeline (recordings, quality) starts here
        setup.Ended(SessionSetupTimer.Phase.Upgrade);

        if (IsBetaClient(context))
        {
            // The GA service refuses beta clients this way; ours behaves the same so SDK versions fail identically.
            await RefuseAsync(socket, RealtimeErrorEvent.Invalid("beta_api_shape_disabled",
                "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.", null, null),
                (WebSocketCloseStatus)RealtimeCloseCodes.BetaApiShapeDisabled, "invalid_request_error.beta_api_shape_disabled");
            return;
        }

        if (string.IsNullOrEmpty(model))
        {
            metrics.ClientError("model_not_found");
            var error = RealtimeErrorEvent.Missing("model", null);
            await RefuseAsync(socket, error, WebSocketCloseStatus.PolicyViolation, error.Code!);
            return;
        }
        var sessionModel = new SessionModel(model, catalog.TryResolve(model, out var catalogModel) ? catalogModel : null, catalog);

        var start = new SessionStart
        {
            SessionId = sessionId,
            TenantId = tenant.TenantId.ToString(),
            Model = model,
            ClientProtocol = ClientProtocol,
            Subject = subject ?? "",
            InputStream = Guid.NewGuid().ToString("N"), // this connection's frame numbering
        };
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = start.SessionId, ["TenantId"] = start.TenantId });
        logger.LogInformation("Realtime session opened for model {Model}", model);
        metrics.SessionOpened(model);
        try
        {
            var limits = new ClientSessionLimits(tenant.TenantId, liveLimits, tenant.KeyId, keySessions, clock,
                clientSecret?.MaxSessionDurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                clientSecret?.MaxSpendUsd, resumed is null ? clientSecret?.SessionJson : null);
            await using var recording = CreateRecordingTap(recordingStorage, await recordingDefault, recordingPublisher,
                tenant.TenantId, sessionId, resumed, opened, clock, logger);
            var quality = new Quality.SessionQualityMeter(tenant.TenantId, sessionId, Quality.RoutingExtension.Initial(sessionModel), clock, opened,
                qualityEvents, qualityMetrics);
            setup.Ended(SessionSetupTimer.Phase.Prepare);
            await new RealtimeClientSession(socket, router, options.CurrentValue, start, sessionModel, metrics, resumeTokens, resumed, drain, limits,
                    recording, quality, logger, resumed is null ? setup : null)
                .RunAsync(context.RequestAborted);
        }
        finally
        {
            metrics.SessionClosed();
            logger.LogInformation("Realtime session closed");
        }
    }

    /// <summary>
    /// The session's recording tap: the tenant's setting decides until the client overrides it. Without a recording
    /// store nothing is ever recorded. A resumed session keeps the client's choice and records a further segment beside
    /// the first one (the download serves them as one recording).
    /// </summary>
    private static SessionRecordingTap CreateRecordingTap(RecordingStorage storage, bool tenantDefault,
        RecordingStoredPublisher publisher, Guid tenantId, string sessionId, ResumableSession? resumed, long opened, TimeProvider clock, ILogger logger)
    {
        if (storage.Store is null) return SessionRecordingTap.Disabled(sessionId, logger);
        var segment = resumed is not null ? $"resumed-{clock.GetUtcNow().ToUnixTimeMilliseconds()}" : null;
        var recordingSwitch = new SessionRecordingSwitch(tenantDefault);
        if (resumed?.Recording is { } chosen) recordingSwitch.Override(chosen);
        return new SessionRecordingTap(recordingSwitch, storage.Store, publisher, tenantId, sessionId, segment,
            opened, storage.Options.FlushInterval, logger, clock);
    }

    /// <summary>
    /// The tenant's recording setting (off when there is no recording store or it cannot be read). Never faults: it is
    /// started before the connection is admitted, and a refused connection never awaits it.
    /// </summary>
    private static async Task<bool> ReadRecordingDefaultAsync(RecordingStorage storage, RecordingSettingsStore settings, Guid tenantId, ILogger logger,
        CancellationToken cancellationToken)
    {
        if (storage.Store is null) return false;
        try
        {
            return await settings.IsEnabledAsync(tenantId, cancellationToken);
        }
        catch (Npgsql.NpgsqlException e)
        {
            logger.LogWarning("The tenant's recording setting is unavailable ({Error}); recording only if the session asks", e.Message);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false; // the client is gone; nothing will run
        }
    }

    private static string? FirstOf(HttpContext context, string query, string header)
    {
        var value = context.Request.Query[query].ToString();
        if (string.IsNullOrEmpty(value)) value = context.Request.Headers[header].ToString();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static bool IsBetaClient(HttpContext context) =>
        context.Request.Headers["OpenAI-Beta"].Any(v => v is not null && v.Contains("realtime=v1", StringComparison.OrdinalIgnoreCase))
        || context.WebSockets.WebSocketRequestedProtocols.Contains("openai-beta.realtime-v1");

    private static async Task RefuseAsync(WebSocket socket, RealtimeErrorEvent error, WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.SendAsync(error.ToJson(), WebSocketMessageType.Text, true, timeout.Token);
            await socket.CloseAsync(status, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away first.
        }
    }
}
