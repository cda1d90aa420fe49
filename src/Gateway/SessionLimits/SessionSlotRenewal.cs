using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>
/// Keeps this Gateway's slots alive: every third of the lease, each held slot's lease is extended. If this process dies
/// the renewals stop and the slots expire by themselves, so no tenant is locked out by a crashed instance.
/// </summary>
public sealed class SessionSlotRenewal(SessionSlots slots, IOptionsMonitor<SessionLimitOptions> options, ILogger<SessionSlotRenewal> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<SessionSlot, byte> _held = new();

    public int HeldSlots => _held.Count;

    public SessionSlot Hold(SessionSlotOwner owner)
    {
        var slot = new SessionSlot(owner, this);
        _held[slot] = 0;
        return slot;
    }

    public async ValueTask ReleaseAsync(SessionSlot slot)
    {
        if (!_held.TryRemove(slot, out _)) return;
        try
        {
            await slots.ReleaseAsync(slot.Owner);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            logger.LogWarning("Could not release the slot of session {SessionId} ({Error}); its lease will expire", slot.Owner.SessionId, e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var lease = options.CurrentValue.SlotLease;
            try
            {
                await Task.Delay(lease / 3, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (_held.IsEmpty) continue;
            try
            {
                await Task.WhenAll(_held.Keys.Select(slot => slots.RenewAsync(slot.Owner, lease)));
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                logger.LogWarning("Renewing {Count} session slots failed ({Error}); retrying next round", _held.Count, e.Message);
            }
        }
    }
}
