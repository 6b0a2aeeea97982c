using PgHa.Provider;

// The day-2 rollout reads and changes the cluster through the executor's seams (IObservedClusterReader, IDayTwoStepExecutor).
var executor = new DayTwoExecutorNotInThisBuild();
await Pulumi.Experimental.Provider.Provider.Serve(args, ReplicationCheckProvider.Version,
    host => new PgHaProvider(new ReplicationCheckProvider(new ReplicationCheckRunner()),
        new ClusterRolloutProvider(new ClusterRolloutRunner(executor, executor), host), new ClusterCertificatesProvider(TimeProvider.System)),
    CancellationToken.None);
