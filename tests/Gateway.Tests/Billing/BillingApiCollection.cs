namespace VoicePlatform.Gateway.Tests.Billing;

/// <summary>
/// One <see cref="BillingApiTestContext"/> for every Billing API test class: two Billing instances consuming the same
/// test broker's queues would split the events (a tenant's TenantCreated could open its account in the other one).
/// </summary>
[CollectionDefinition(Name)]
public sealed class BillingApiCollection : ICollectionFixture<BillingApiTestContext>
{
    public const string Name = "Billing API";
}
