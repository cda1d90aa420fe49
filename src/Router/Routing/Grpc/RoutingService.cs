using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using VoicePlatform.Contracts.Routing;
using VoicePlatform.Router.Routing.Definitions;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Routing.Storage;

namespace VoicePlatform.Router.Routing.Grpc;

/// <summary>The routing API (routing.proto): routes and experiments as their public JSON, errors as gRPC statuses.</summary>
public sealed class RoutingService(RouteStore routes, ExperimentStore experiments, RoutingCache cache) : Contracts.Routing.Routing.RoutingBase
{
    public override Task<RoutingReply> ListRoutes(RoutingRequest request, ServerCallContext context) => Run(async () =>
        List((await routes.ListAsync(Tenant(request), context.CancellationToken)).Select(r => r.ToJson())));

    public override Task<RoutingReply> GetRoute(RoutingRequest request, ServerCallContext context) => Run(async () =>
        (await routes.GetAsync(Tenant(request), request.Name, context.CancellationToken)).ToJson());

    public override Task<RoutingReply> CreateRoute(RoutingRequest request, ServerCallContext context) => Write(request, async () =>
        (await routes.CreateAsync(Tenant(request), Body(request), context.CancellationToken)).ToJson());

    public override Task<RoutingReply> PutRoute(RoutingRequest request, ServerCallContext context) => Write(request, async () =>
        (await routes.PutAsync(Tenant(request), request.Name, Body(request), context.CancellationToken)).ToJson());

    public override Task<RoutingReply> DeleteRoute(RoutingRequest request, ServerCallContext context) => Write(request, async () =>
    {
        await routes.DeleteAsync(Tenant(request), request.Name, context.CancellationToken);
        return new JsonObject { ["object"] = "route.deleted", ["name"] = request.Name, ["deleted"] = true };
    });

    public override Task<RoutingReply> ListExperiments(RoutingRequest request, ServerCallContext context) => Run(async () =>
        List((await experiments.ListAsync(Tenant(request), context.CancellationToken)).Select(e => e.ToJson())));

    public override Task<RoutingReply> GetExperiment(RoutingRequest request, ServerCallContext context) => Run(async () =>
        (await experiments.GetAsync(Tenant(request), request.Name, context.CancellationToken)).ToJson());

    public override Task<RoutingReply> CreateExperiment(RoutingRequest request, ServerCallContext context) => Write(request, async () =>
        (await experiments.CreateAsync(Tenant(request), Body(request), context.CancellationToken)).ToJson());

    public override Task<RoutingReply> ReplaceExperiment(RoutingRequest request, ServerCallContext context) => Write(request, async () =>
        (await experiments.ReplaceAsync(Tenant(request), request.Name, Body(request), context.CancellationToken)).ToJson());

    public override Task<RoutingReply> ApplyExperimentAction(RoutingRequest request, ServerCallContext context) => Write(request, async () =>
        (await experiments.ApplyAsync(Tenant(request), request.Name, request.Action, context.CancellationToken)).ToJson());

    /// <summary>A change: once stored, every Router drops the tenant's cached routing.</summary>
    private Task<RoutingReply> Write(RoutingRequest request, Func<Task<JsonObject>> call) => Run(async () =>
    {
        var answer = await call();
        await cache.ChangedAsync(Tenant(request));
        return answer;
    });

    private static JsonObject List(IEnumerable<JsonObject> items) => new() { ["object"] = "list", ["data"] = new JsonArray([.. items]) };

    private static Guid Tenant(RoutingRequest request) =>
        Guid.TryParse(request.TenantId, out var tenant) ? tenant : throw new RpcException(new Status(StatusCode.InvalidArgument, "tenant_id must be a UUID."));

    private static JsonElement Body(RoutingRequest request)
    {
        try
        {
            return JsonDocument.Parse(request.Json.Memory).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new RoutingError("invalid_json", $"The request body is not valid JSON: {e.Message}", null);
        }
    }

    private static async Task<RoutingReply> Run(Func<Task<JsonObject>> call)
    {
        try
        {
            return new RoutingReply { Json = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(await call())) };
        }
        catch (RoutingError e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message), Trailers(e.Code, e.Param));
        }
        catch (RoutingNotFoundException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, e.Message));
        }
        catch (RoutingConflictException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message), Trailers(null, e.Param));
        }
    }

    private static Metadata Trailers(string? code, string? param)
    {
        var trailers = new Metadata();
        if (code is not null) trailers.Add("code", code);
        if (param is not null) trailers.Add("param", param);
        return trailers;
    }
}
