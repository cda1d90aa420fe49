using Grpc.Core;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Tools.BuiltIns;
using VoicePlatform.Tools.Registry;

namespace VoicePlatform.Tools.Grpc;

/// <summary>gRPC <c>ToolRegistry</c>: tenants' tools and tool settings (rule violations are mapped by <see cref="RegistryErrorInterceptor"/>).</summary>
public sealed class ToolRegistryService(ToolStore store, ToolSettingsStore settings, ToolSpecValidator validator) : ToolRegistry.ToolRegistryBase
{
    public override async Task<ListToolsResponse> ListTools(ListToolsRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        var tenantSettings = await settings.GetAsync(tenantId, context.CancellationToken);
        var response = new ListToolsResponse();
        response.Tools.AddRange(BuiltInTools.All.Where(t => tenantSettings.IsBuiltInEnabled(t.Name)));
        response.Tools.AddRange(await store.ListDefinitionsAsync(tenantId, context.CancellationToken));
        // Only names that still resolve to a usable tool.
        response.DefaultTools.AddRange(tenantSettings.DefaultTools.Where(name => response.Tools.Any(t => t.Name == name)));
        return response;
    }

    public override async Task<CreateToolResponse> CreateTool(CreateToolRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        var spec = await validator.ValidateAsync(request.Tool, context.CancellationToken);
        // The secret is returned here and on rotation only; see Migrations/0002 for why it is stored in plain text.
        var secret = SigningSecret.Generate();
        var tool = await store.CreateAsync(tenantId, spec, secret, context.CancellationToken);
        return new CreateToolResponse { Tool = tool, SigningSecret = secret };
    }

    public override async Task<RegisteredTool> GetTool(GetToolRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        return await store.FindAsync(tenantId, request.Name, context.CancellationToken) ?? throw ToolNotFound(request.Name);
    }

    public override async Task<ListRegisteredToolsResponse> ListRegisteredTools(ListRegisteredToolsRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        var response = new ListRegisteredToolsResponse();
        response.Tools.AddRange(await store.ListAsync(tenantId, context.CancellationToken));
        return response;
    }

    public override async Task<RegisteredTool> UpdateTool(UpdateToolRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        var spec = request.Tool?.Clone() ?? throw new ToolValidationException("tool", "A tool definition is required.");
        if (spec.Name.Length == 0) spec.Name = request.Name;
        else if (spec.Name != request.Name)
            throw new ToolValidationException("name", "A tool cannot be renamed; delete it and create it under the new name.");
        var validated = await validator.ValidateAsync(spec, context.CancellationToken);
        if (await store.UpdateAsync(tenantId, validated, context.CancellationToken) is { } updated) return updated;
        throw ToolNotFound(request.Name);
    }

    public override async Task<DeleteToolResponse> DeleteTool(DeleteToolRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        if (!await store.DeleteAsync(tenantId, request.Name, context.CancellationToken)) throw ToolNotFound(request.Name);
        return new DeleteToolResponse();
    }

    public override async Task<RotateToolSecretResponse> RotateToolSecret(RotateToolSecretRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        var secret = SigningSecret.Generate();
        if (!await store.ReplaceSecretAsync(tenantId, request.Name, secret, context.CancellationToken)) throw ToolNotFound(request.Name);
        return new RotateToolSecretResponse { SigningSecret = secret };
    }

    public override async Task<ToolSettingsResponse> GetToolSettings(GetToolSettingsRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        return SettingsResponse(await settings.GetAsync(tenantId, context.CancellationToken));
    }

    public override async Task<ToolSettingsResponse> SetToolSettings(SetToolSettingsRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        var updated = await settings.SetAsync(tenantId, [.. request.EnabledBuiltIns], [.. request.DefaultTools], context.CancellationToken);
        return SettingsResponse(updated);
    }

    private static ToolSettingsResponse SettingsResponse(ToolSettings settings)
    {
        var response = new ToolSettingsResponse();
        response.EnabledBuiltIns.AddRange(settings.EnabledBuiltIns);
        response.DefaultTools.AddRange(settings.DefaultTools);
        response.AvailableBuiltIns.AddRange(BuiltInTools.All);
        return response;
    }

    // Another tenant's tool is indistinguishable from a missing one.
    private static RpcException ToolNotFound(string name) =>
        new(new Status(StatusCode.NotFound, $"No tool named '{name}'."), new Metadata { { RegistryErrorInterceptor.ParamTrailer, "name" } });
}
