using PgHa.Cli;
using PgHa.Operations.Access;

// pgha status | switchover | failover | verify — see `pgha --help`.
return await PghaCli.RunAsync(args, KubernetesClusterAccess.Open, Console.Out, Console.Error, Console.In).ConfigureAwait(false);
