using PgHa.Provider;

await Pulumi.Experimental.Provider.Provider.Serve(args, ReplicationCheckProvider.Version,
    host => new PgHaProvider(new ReplicationCheckProvider(new ReplicationCheckRunner()),
        new ClusterRolloutProvider(new ClusterRolloutRunner(new KubernetesDayTwoClusterOpener()), host), new ClusterCertificatesProvider(TimeProvider.System),
        new GeneratedPasswordProvider()),
    CancellationToken.None);
