using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// One scenario's use of the <see cref="SharedFaultCluster"/>: the cluster and the small disk (each round writes into a
/// table of its own, <see cref="FaultCluster.NewTableAsync"/>).
/// Disposing heals every cut (on every exit path); unless <see cref="Complete"/> was called, the next scenario gets a
/// fresh cluster.
/// </summary>
public sealed class FaultLease : IAsyncDisposable
{
    private readonly SharedFaultCluster _owner;
    private bool _released;

    internal FaultLease(SharedFaultCluster owner, FaultCluster fault, TmpfsMount smallDisk)
    {
        _owner = owner;
        Fault = fault;
        SmallDisk = smallDisk;
    }

    public FaultCluster Fault { get; }

    /// <summary>The tmpfs that member <see cref="SharedFaultCluster.SmallDiskMember"/> keeps its data on.</summary>
    public TmpfsMount SmallDisk { get; }

    public bool Completed { get; private set; }

    /// <summary>The scenario passed and left the cluster converged: the next one may use it as it is.</summary>
    public void Complete() => Completed = true;

    public async ValueTask DisposeAsync()
    {
        if (!_released)
        {
            _released = true;
            await _owner.ReleaseAsync(this);
        }
    }
}
