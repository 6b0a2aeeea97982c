using PgHa.Provider;

await Pulumi.Experimental.Provider.Provider.Serve(args, ReplicationCheckProvider.Version,
    _ => new ReplicationCheckProvider(new ReplicationCheckRunner()), CancellationToken.None);
