namespace PgHa.FailoverBench;

/// <summary>How the members are restarted onto a new pod template in the rollout benchmark.</summary>
internal enum RestartOrder
{
    /// <summary>This project's rollout (DayTwoRun): replicas one at a time, one switchover to an updated replica, the old primary last.</summary>
    DatabaseRollout,

    /// <summary>The baseline: what a StatefulSet's RollingUpdate does, ordinals descending, each pod Ready before the next, no switchover.</summary>
    RollingUpdate,
}
