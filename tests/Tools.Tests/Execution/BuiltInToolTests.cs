using System.Text.Json;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Tests.Execution;

public class BuiltInToolTests(ToolsServiceFixture fixture) : IClassFixture<ToolsServiceFixture>
{
    [Fact]
    public async Task Get_current_time_answers_in_the_requested_timezone()
    {
        var result = await fixture.ExecuteAsync(Guid.NewGuid(), "get_current_time", """{"timezone":"Asia/Kolkata"}""");

        Assert.Equal(ToolOutcome.Ok, result.Outcome);
        Assert.True(result.BuiltIn);
        Assert.Equal(0, result.Attempts);
        using var output = JsonDocument.Parse(result.OutputJson);
        Assert.Equal("Asia/Kolkata", output.RootElement.GetProperty("timezone").GetString());
        Assert.Equal("+05:30", output.RootElement.GetProperty("utc_offset").GetString());
        var local = DateTimeOffset.Parse(output.RootElement.GetProperty("iso8601").GetString()!);
        Assert.Equal(TimeSpan.FromHours(5.5), local.Offset);
        Assert.True((DateTimeOffset.UtcNow - local).Duration() < TimeSpan.FromMinutes(1));
        Assert.Equal(local.DayOfWeek.ToString(), output.RootElement.GetProperty("day_of_week").GetString());
    }

    [Fact]
    public async Task An_unknown_timezone_is_a_structured_error()
    {
        var result = await fixture.ExecuteAsync(Guid.NewGuid(), "get_current_time", """{"timezone":"Mars/Olympus_Mons"}""");

        Assert.Equal(ToolOutcome.InvalidArguments, result.Outcome);
        using var output = JsonDocument.Parse(result.OutputJson);
        Assert.Equal("unknown_timezone", output.RootElement.GetProperty("error").GetString());
        Assert.Contains("Mars/Olympus_Mons", output.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_current_time_without_a_timezone_is_invalid_arguments()
    {
        var result = await fixture.ExecuteAsync(Guid.NewGuid(), "get_current_time", "{}");
        Assert.Equal(ToolOutcome.InvalidArguments, result.Outcome);
        Assert.Contains("timezone: is required", result.OutputJson);
    }

    [Fact]
    public async Task End_session_tells_the_router_to_end_the_session()
    {
        var result = await fixture.ExecuteAsync(Guid.NewGuid(), "end_session", """{"reason":"user said goodbye"}""");

        Assert.Equal(ToolOutcome.Ok, result.Outcome);
        Assert.Equal(ToolAction.EndSession, result.Action);
        Assert.True(result.BuiltIn);
        using var output = JsonDocument.Parse(result.OutputJson);
        Assert.Equal("end_session", output.RootElement.GetProperty("action").GetString());
    }

    [Fact]
    public async Task End_session_takes_empty_arguments()
    {
        var result = await fixture.ExecuteAsync(Guid.NewGuid(), "end_session", "");
        Assert.Equal(ToolOutcome.Ok, result.Outcome);
        Assert.Equal(ToolAction.EndSession, result.Action);
    }

    [Fact]
    public async Task A_built_in_the_tenant_disabled_is_not_found()
    {
        var tenant = Guid.NewGuid();
        await fixture.Client.SetToolSettingsAsync(new SetToolSettingsRequest { TenantId = tenant.ToString(), EnabledBuiltIns = { "get_current_time" } });

        var result = await fixture.ExecuteAsync(tenant, "end_session", "{}");

        Assert.Equal(ToolOutcome.NotFound, result.Outcome);
        Assert.Equal(ToolAction.None, result.Action);
    }
}
