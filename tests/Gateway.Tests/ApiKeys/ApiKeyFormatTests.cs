using VoicePlatform.Gateway.ApiKeys;

namespace VoicePlatform.Gateway.Tests.ApiKeys;

public class ApiKeyFormatTests
{
    [Fact]
    public void Generated_keys_parse_back_and_match_only_their_own_hash()
    {
        var (keyId, secret, fullKey) = ApiKeyFormat.Generate();
        Assert.True(ApiKeyFormat.TryParse(fullKey, out var parsedId, out var parsedSecret));
        Assert.Equal(keyId, parsedId);
        Assert.Equal(secret, parsedSecret);
        var hash = ApiKeyFormat.HashSecret(secret);
        Assert.True(ApiKeyFormat.SecretMatches(parsedSecret, hash));
        Assert.False(ApiKeyFormat.SecretMatches(secret + "x", hash));
        Assert.NotEqual(fullKey, ApiKeyFormat.Generate().FullKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-proj-abc")]
    [InlineData("vpk_short_secret")]
    [InlineData("vpk_0123456789abcdef_")]
    public void Malformed_keys_do_not_parse(string presented) =>
        Assert.False(ApiKeyFormat.TryParse(presented, out _, out _));

    [Fact]
    public void Overlong_input_is_rejected_before_any_work() =>
        Assert.False(ApiKeyFormat.TryParse("vpk_0123456789abcdef_" + new string('a', 10_000), out _, out _));
}
