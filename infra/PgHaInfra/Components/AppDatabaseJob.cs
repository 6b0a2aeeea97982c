using PgHa.Core.Bootstrap;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

/// <param name="Postgres">The image the Job runs (the cluster's own) and the database it creates.</param>
/// <param name="Secrets">Where the superuser's, the app role's and the monitoring role's credentials are.</param>
/// <param name="MonitoringPasswordVersion">Identifies the monitoring role's generated password (not secret): a new password runs the Job again.</param>
public sealed record AppDatabaseJobArgs(ClusterIdentity Cluster, PostgresSettings Postgres, CredentialSecretNames Secrets, Output<string> MonitoringPasswordVersion);

/// <summary>
/// Creates the application role and database, and the monitoring role, once a primary accepts writes (idempotent SQL
/// from Core). It connects as the superuser because creating roles and a database for another owner needs it.
/// Pulumi waits for the Job, so its failure is the deployment's. Give it the cluster's StatefulSet, Services and
/// Secrets as <see cref="ResourceOptions.DependsOn"/>.
/// </summary>
public sealed class AppDatabaseJob : ComponentResource
{
    /// <summary>How long the Job waits for a primary before it fails (a first bootstrap pulls the image and runs initdb).</summary>
    internal const int WaitForPrimarySeconds = 600;

    [Output("jobName")]
    public Output<string> JobName { get; }

    public AppDatabaseJob(string name, AppDatabaseJobArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:AppDatabaseJob", name, options)
    {
        var cluster = args.Cluster;
        var names = new ResourceNames(cluster.Name);
        // The cluster's own image: its psql matches the server and has \getenv.
        var container = PodSpecParts.ScriptContainer("bootstrap", args.Postgres.Image, AppDatabaseBootstrap.Script(WaitForPrimarySeconds),
            AppDatabaseBootstrap.Environment(ResourceNames.ServiceHost(names.ReadWriteService, cluster.Namespace), args.Postgres.Database, args.Secrets),
            new ResourceRequirementsArgs
            {
                Requests = { ["cpu"] = "50m", ["memory"] = "64Mi" },
                Limits = { ["memory"] = "128Mi" },
            });
        container.Env.Add(new EnvVarArgs { Name = AppDatabaseBootstrap.MonitoringPasswordVersionVariable, Value = args.MonitoringPasswordVersion });
        var job = new Job(name, new JobArgs
        {
            Metadata = Metadata.For(names.AppBootstrapJob, cluster.Namespace, cluster.Name, "bootstrap"),
            Spec = PodSpecParts.RunOnce(cluster.Name, Labels.BootstrapTask, container, backoffLimit: 3, activeDeadlineSeconds: WaitForPrimarySeconds + 120),
        }, ChildOptions.Of(this, options));

        JobName = job.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["jobName"] = JobName });
    }
}
