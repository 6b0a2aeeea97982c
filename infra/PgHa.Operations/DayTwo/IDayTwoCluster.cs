using PgHa.Core.DayTwo;

namespace PgHa.Operations.DayTwo;

/// <summary>
/// What the day-2 executor does to a running cluster, one method per kind of action; <see cref="DayTwoExecutor"/>
/// decides when. Implemented over Kubernetes (<see cref="KubernetesDayTwoCluster"/>) and, in the tests, over a loopback
/// Patroni cluster. A method that waits does so within <see cref="DayTwoWait"/>'s bound and says what it waited for.
/// </summary>
public interface IDayTwoCluster
{
    /// <summary>
    /// The cluster as it is now: every member with Patroni's view of it and its pod template revision, Patroni's
    /// dynamic configuration, the StatefulSet's update revision and replicas, the data claims, and the roles whose
    /// Secret holds a password the database does not have.
    /// </summary>
    Task<ObservedCluster> ObserveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the member's pod gracefully and waits until its replacement (from the current template and Secrets)
    /// runs; whether PostgreSQL is back and streaming is the next step's wait.
    /// </summary>
    Task RecreatePodAsync(string pod, DayTwoWait wait, CancellationToken cancellationToken);

    /// <summary>
    /// Restarts the member's PostgreSQL in place through Patroni's <c>POST /restart</c>; with <paramref name="onlyIfPending"/>
    /// only when Patroni finds a restart pending, and returns false when it found none.
    /// </summary>
    Task<bool> RestartPostgresAsync(string pod, bool onlyIfPending, CancellationToken cancellationToken);

    /// <summary>Patroni's <c>POST /switchover</c> from <paramref name="leader"/> to <paramref name="candidate"/>.</summary>
    Task SwitchoverAsync(string leader, string candidate, CancellationToken cancellationToken);

    /// <summary>
    /// Why Patroni cannot switch over from <paramref name="leader"/> to <paramref name="candidate"/> now although both are
    /// healthy, or null when it can. The case: the leader's REST API and the candidate's serve different schemes (the
    /// rollout that moves a cluster to HTTPS): the leader checks the candidate over its API before it steps down, and an
    /// old member, without the cluster's CA, cannot reach a new one.
    /// </summary>
    Task<string?> SwitchoverBlockerAsync(string leader, string candidate, CancellationToken cancellationToken);

    /// <summary>Patroni's <c>GET /config</c>.</summary>
    Task<LivePatroniConfiguration> ReadConfigurationAsync(CancellationToken cancellationToken);

    /// <summary>Patroni's <c>PATCH /config</c> with <paramref name="json"/>; returns the configuration as Patroni stored it.</summary>
    Task<LivePatroniConfiguration> PatchConfigurationAsync(string json, CancellationToken cancellationToken);

    /// <summary>The password the role's Secret holds now (never logged).</summary>
    Task<string> ReadPasswordAsync(CredentialRole role, CancellationToken cancellationToken);

    /// <summary>
    /// On the primary: <c>ALTER ROLE &lt;username&gt; PASSWORD '&lt;verifier&gt;'</c> with a SCRAM verifier, so the server
    /// never receives the clear password.
    /// </summary>
    Task SetPasswordVerifierAsync(string username, string verifier, CancellationToken cancellationToken);

    /// <summary>On the primary: drops the physical replication slot if it still exists.</summary>
    Task DropReplicationSlotAsync(string slot, CancellationToken cancellationToken);

    /// <summary>Patches the claim's requested size and waits until the volume and its filesystem have that size.</summary>
    Task GrowVolumeAsync(string claim, string size, DayTwoWait wait, CancellationToken cancellationToken);

    /// <summary>Sets the StatefulSet's replicas and waits until the departing pods are gone or the new ones exist.</summary>
    Task ScaleStatefulSetAsync(int replicas, DayTwoWait wait, CancellationToken cancellationToken);

    /// <summary>Restarts an app Deployment as <c>kubectl rollout restart</c> does.</summary>
    Task RestartDeploymentAsync(string ns, string name, CancellationToken cancellationToken);
}
