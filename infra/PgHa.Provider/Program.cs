using PgHa.Provider;

await Pulumi.Experimental.Provider.Provider.Serve(args, ReplicationCheckProvider.Version,
    _ => new PghaProvider(new ReplicationCheckProvider(new ReplicationCheckRunner()), new ClusterCertificatesProvider(TimeProvider.System)),
    CancellationToken.None);
