using PgHa.Core.Bootstrap;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

public sealed record AppDatabaseJobArgs(
    PgHaSettings Settings,
    ResourceNames Names,
    Input<string> Namespace,
    CredentialSecretNames Secrets,
    IReadOnlyList<Resource> DependsOn);

/// <summary>
/// Creates the application role and database once a primary accepts writes (idempotent SQL from Core).
/// Pulumi waits for the Job, so its failure is the deployment's.
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
        var settings = args.Settings;
        var cluster = settings.Cluster.Name;
        // The cluster's own image: its psql matches the server and has \getenv.
        var container = PodSpecParts.ScriptContainer("bootstrap", settings.Postgres.Image, AppDatabaseBootstrap.Script(WaitForPrimarySeconds),
            AppDatabaseBootstrap.Environment(ResourceNames.ServiceHost(args.Names.ReadWriteService, settings.Cluster.Namespace), settings.Postgres.Database, args.Secrets),
            new ResourceRequirementsArgs
            {
                Requests = { ["cpu"] = "50m", ["memory"] = "64Mi" },
                Limits = { ["memory"] = "128Mi" },
            });
        var job = new Job(name, new JobArgs
        {
            Metadata = Metadata.For(args.Names.AppBootstrapJob, args.Namespace, cluster, "bootstrap"),
            Spec = PodSpecParts.RunOnce(cluster, "bootstrap", container, backoffLimit: 3, activeDeadlineSeconds: WaitForPrimarySeconds + 120),
        }, new CustomResourceOptions { Parent = this, DependsOn = args.DependsOn.ToArray() });

        JobName = job.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["jobName"] = JobName });
    }
}
