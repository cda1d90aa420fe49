namespace VoicePlatform.TestSupport;

public static class Poll
{
    /// <summary>Calls <paramref name="probe"/> until <paramref name="done"/> holds or time runs out; returns the last result (the caller asserts on it).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var result = await probe();
            if (done(result) || DateTime.UtcNow >= deadline) return result;
            await Task.Delay(100);
        }
    }
}
