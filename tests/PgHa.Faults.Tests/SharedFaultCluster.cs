using PgHa.Core.Settings;
using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// The cluster the scenarios share, started by the first one that needs it, with the shipped configuration (timings,
/// WAL retention, failsafe_mode). Member <see cref="SmallDiskMember"/> keeps its data on a tmpfs that the cluster mounts
/// before it first starts (2 GB, shrunk and grown only by the disk-full scenario). Each scenario takes a <see cref="FaultLease"/>: it sets
/// the dynamic configuration it needs and waits for one primary with two streaming replicas.
/// A scenario that does not finish cleanly marks the cluster dirty and the next one starts a fresh cluster, so one
/// failure does not cascade. Disposed after the last scenario: every process stopped, the tmpfs unmounted.
/// </summary>
public sealed class SharedFaultCluster : IAsyncLifetime
{
    public const string SmallDiskMember = "pg-2";
    public const long SmallDiskBytes = 2048L * 1024 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Action<string>? _log;
    private FaultCluster? _cluster;
    private TmpfsMount? _smallDisk;
    private bool _dirty;

    /// <summary>The settings the shared cluster runs: the shipped ones (asynchronous at bootstrap; each scenario sets its mode).</summary>
    public static PgHaSettings Settings { get; } = LoopbackSettings.Load();

    /// <summary>Where the cluster's processes report, routed to the output of the scenario running now (none in between).</summary>
    private void Log(string line)
    {
        try
        {
            _log?.Invoke(line);
        }
        catch (InvalidOperationException)
        {
            // A background wait reporting after its scenario ended: nobody to tell.
        }
    }

    /// <summary>
    /// The cluster for one scenario: started (or restarted after a dirty scenario), configured, converged. Dispose the lease at the end of the scenario; call <see cref="FaultLease.Complete"/> once it passed.
    /// </summary>
    public async Task<FaultLease> AcquireAsync(Action<string> log, bool synchronous, bool failsafe = true)
    {
        await _gate.WaitAsync();
        _log = log;
        try
        {
            if (_cluster is not null && _dirty)
            {
                log("the previous scenario did not finish cleanly: replacing its cluster with a fresh one");
                await DisposeClusterAsync();
            }

            _cluster ??= await FaultCluster.StartAsync(Settings, Log, async member =>
            {
                if (member.Name == SmallDiskMember)
                {
                    _smallDisk = await TmpfsMount.MountAsync(member.DataDirectory, SmallDiskBytes, Log);
                }
            });
            _dirty = true;
            await _cluster.ConfigureAsync(synchronous, failsafe, Log);
            await _cluster.WaitConvergedAsync(_cluster.Timings.Converge);
            return new FaultLease(this, _cluster, _smallDisk!);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>Called by the lease: heals every cut; the cluster stays clean only when the scenario completed.</summary>
    internal async Task ReleaseAsync(FaultLease lease)
    {
        try
        {
            await lease.Fault.Cutter.HealAsync();
            _dirty = !lease.Completed;
        }
        finally
        {
            _log = null;
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await DisposeClusterAsync();
        _gate.Dispose();
    }

    private async Task DisposeClusterAsync()
    {
        try
        {
            if (_cluster is not null)
            {
                // The member on the small disk stops before its disk goes; the cluster then stops the rest.
                await _cluster.Member(SmallDiskMember).CrashAsync();
            }

            if (_smallDisk is not null)
            {
                await _smallDisk.DisposeAsync();
            }
        }
        finally
        {
            _smallDisk = null;
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            _cluster = null;
            _dirty = false;
        }
    }
}
