namespace PgHa.Core.DayTwo;

/// <summary>Why a member's pod is recreated.</summary>
public enum RestartReason
{
    /// <summary>The pod runs an older revision of the pod template.</summary>
    PodTemplate,

    /// <summary>Patroni and Spilo read the superuser password from the Secret only at start.</summary>
    SuperuserPassword,

    /// <summary>Patroni and Spilo read the replication password from the Secret only at start.</summary>
    ReplicationPassword,
}
