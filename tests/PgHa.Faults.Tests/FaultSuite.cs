namespace PgHa.Faults.Tests;

/// <summary>
/// The scenarios share one cluster (<see cref="SharedFaultCluster"/>), one scenario at a time: a fresh cluster per
/// scenario would add half a minute each to a suite that CI runs on every change.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultSuite : ICollectionFixture<SharedFaultCluster>
{
    public const string Name = "fault scenarios";
}
