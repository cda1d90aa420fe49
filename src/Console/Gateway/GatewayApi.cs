using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace VoicePlatform.Console.Gateway;

/// <summary>
/// The Gateway's public tenant API and operator API, called with the signed-in user's key (<see cref="SignedInUser"/>).
/// The console has no other data source. Part-specific calls live beside the pages that use them as extension methods
/// over <see cref="GetAsync{T}"/> / <see cref="SendAsync{T}"/>.
/// </summary>
public sealed class GatewayApi(HttpClient http, SignedInUser user)
{
    public HttpClient Http => http;

    /// <summary>What a key is, asked of the Gateway: a tenant key opens the tenant API, the operator key the operator API.</summary>
    public async Task<KeyKind> IdentifyKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(key)) return KeyKind.Invalid;
        var path = key.StartsWith(ConsoleKeys.OperatorPrefix, StringComparison.Ordinal) ? "/v1/admin/tenants" : "/v1/models";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return KeyKind.Invalid;
        await ThrowIfFailedAsync(response, cancellationToken);
        return path == "/v1/models" ? KeyKind.Tenant : KeyKind.Operator;
    }

    /// <returns>The resource, or null when the Gateway answers 404 (missing, or another tenant's).</returns>
    public async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken = default) where T : class
    {
        using var request = await RequestAsync(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await ThrowIfFailedAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(GatewayJson.Options, cancellationToken);
    }

    /// <summary>A write (POST, PUT, DELETE) with an optional JSON body; the parsed response, or default for 204.</summary>
    public async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: GatewayJson.Options);
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowIfFailedAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0) return default;
        return await response.Content.ReadFromJsonAsync<T>(GatewayJson.Options, cancellationToken);
    }

    /// <summary>An unbuffered response (recordings, VTT) for the caller to relay; the caller disposes it.</summary>
    public async Task<HttpResponseMessage> OpenAsync(string path, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Get, path);
        configure?.Invoke(request);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public Task<TenantLimits?> GetLimitsAsync(CancellationToken ct = default) => GetAsync<TenantLimits>("/v1/limits", ct);

    public Task<Page<SessionSummary>?> ListSessionsAsync(SessionFilter filter, CancellationToken ct = default) =>
        GetAsync<Page<SessionSummary>>(QueryHelpers.AddQueryString("/v1/sessions", filter.ToQuery()), ct);

    public Task<SessionSummary?> GetSessionAsync(string id, CancellationToken ct = default) => GetAsync<SessionSummary>($"/v1/sessions/{Escape(id)}", ct);

    public Task<Transcript?> GetTranscriptAsync(string id, CancellationToken ct = default) => GetAsync<Transcript>($"/v1/sessions/{Escape(id)}/transcript", ct);

    public Task<SessionCost?> GetSessionCostAsync(string id, CancellationToken ct = default) => GetAsync<SessionCost>($"/v1/sessions/{Escape(id)}/cost", ct);

    public Task<SessionQuality?> GetSessionQualityAsync(string id, CancellationToken ct = default) => GetAsync<SessionQuality>($"/v1/sessions/{Escape(id)}/quality", ct);

    public Task<Page<SearchHit>?> SearchTranscriptsAsync(string query, string? cursor, int limit, CancellationToken ct = default) =>
        GetAsync<Page<SearchHit>>(QueryHelpers.AddQueryString("/v1/transcripts/search", Query(("q", query), ("cursor", cursor), ("limit", Number(limit)))), ct);

    public Task<InsightsSummary?> GetInsightsSummaryAsync(DateTimeOffset from, DateTimeOffset to, string groupBy, CancellationToken ct = default) =>
        GetAsync<InsightsSummary>(QueryHelpers.AddQueryString("/v1/insights/summary",
            Query(("from", Unix(from)), ("to", Unix(to)), ("group_by", groupBy))), ct);

    public Task<InsightsTimeseries?> GetTimeseriesAsync(string metric, DateTimeOffset from, DateTimeOffset to, string interval, string groupBy, CancellationToken ct = default) =>
        GetAsync<InsightsTimeseries>(QueryHelpers.AddQueryString("/v1/insights/timeseries",
            Query(("metric", metric), ("from", Unix(from)), ("to", Unix(to)), ("interval", interval), ("group_by", groupBy))), ct);

    public Task<UsageReport?> GetUsageAsync(DateTimeOffset from, DateTimeOffset to, string groupBy, CancellationToken ct = default) =>
        GetAsync<UsageReport>(QueryHelpers.AddQueryString("/v1/usage", Query(("from", Unix(from)), ("to", Unix(to)), ("group_by", groupBy))), ct);

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path)
    {
        var key = await user.ApiKeyAsync() ?? throw new GatewayApiException(HttpStatusCode.Unauthorized, "Not signed in.");
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var message = $"The Gateway answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        IReadOnlyDictionary<string, string[]>? fields = null;
        try
        {
            var (text, fieldErrors) = GatewayProblem.Read(await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken));
            (message, fields) = (text ?? message, fieldErrors);
        }
        catch (JsonException) { }
        throw new GatewayApiException(response.StatusCode, message, fields);
    }

    private static Dictionary<string, string?> Query(params (string Name, string? Value)[] parameters) =>
        parameters.Where(p => !string.IsNullOrEmpty(p.Value)).ToDictionary(p => p.Name, p => p.Value);

    private static string Unix(DateTimeOffset instant) => Number(instant.ToUnixTimeSeconds());

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
