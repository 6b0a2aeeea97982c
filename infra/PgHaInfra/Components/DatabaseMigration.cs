using PgHa.Core.Migration;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Apps.V1;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Apps.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace PgHa.Infra.Components;

/// <param name="Postgres">The image the Job runs (the cluster's own) and the database it fills.</param>
/// <param name="Storage">One data volume's size bounds the dump's scratch space.</param>
/// <param name="Secrets">Where the app role's credentials are.</param>
public sealed record DatabaseMigrationArgs(
    ClusterIdentity Cluster,
    PostgresSettings Postgres,
    StorageSettings Storage,
    MigrationSettings Migration,
    CredentialSecretNames Secrets);

/// <summary>
/// The one-time move of the old single PostgreSQL's data into the verified cluster: a Job running Core's migration
/// script (dump, parallel restore, row-count comparison), which Pulumi waits for; then, only when asked, the old
/// Deployment scaled to zero (a patch: removing the key gives the replicas back). Give it the verified cluster
/// (its check, the app database) as <see cref="ResourceOptions.DependsOn"/>.
/// </summary>
public sealed class DatabaseMigration : ComponentResource
{
    private const int RestoreJobs = 2;

    /// <summary>A large database takes a while to dump and restore; the deployment waits this long for the Job.</summary>
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(4);

    public Job Job { get; }

    [Output("jobName")]
    public Output<string> JobName { get; }

    public DatabaseMigration(string name, DatabaseMigrationArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:DatabaseMigration", name, options)
    {
        var cluster = args.Cluster;
        var names = new ResourceNames(cluster.Name);
        // The cluster's image: its pg_dump/pg_restore are the cluster's major (newer than or equal to the source's).
        var container = PodSpecParts.ScriptContainer("migrate", args.Postgres.Image, MigrationScript.Bash(),
            MigrationJobEnvironment.Build(args.Migration, ResourceNames.ServiceHost(names.ReadWriteService, cluster.Namespace),
                args.Postgres.Database, args.Secrets, RestoreJobs),
            new ResourceRequirementsArgs
            {
                Requests = { ["cpu"] = "500m", ["memory"] = "512Mi" },
                Limits = { ["cpu"] = RestoreJobs.ToString(System.Globalization.CultureInfo.InvariantCulture), ["memory"] = "1Gi" },
            });
        container.VolumeMounts.Add(new VolumeMountArgs { Name = "work", MountPath = MigrationJobEnvironment.WorkDirectory });

        var jobOptions = ChildOptions.Of(this, options);
        jobOptions.CustomTimeouts = new CustomTimeouts { Create = MaxDuration, Update = MaxDuration };
        Job = new Job(name, new JobArgs
        {
            Metadata = Metadata.For(names.MigrationJob, cluster.Namespace, cluster.Name, "migration"),
            // A failed migration is looked at, not retried blindly (a retry would find a half-filled target and refuse).
            // The dump file goes to an emptyDir of at most one data volume's size.
            Spec = PodSpecParts.RunOnce(cluster.Name, Labels.MigrationTask, container, backoffLimit: 0, activeDeadlineSeconds: (int)MaxDuration.TotalSeconds,
                new VolumeArgs { Name = "work", EmptyDir = new EmptyDirVolumeSourceArgs { SizeLimit = args.Storage.Size } }),
        }, jobOptions);

        if (args.Migration.ScaleDownDeployment is { } deployment)
        {
            var scaleDownOptions = ChildOptions.Of(this, options);
            scaleDownOptions.DependsOn.Add(Job);
            _ = new DeploymentPatch($"{name}-scale-down", new DeploymentPatchArgs
            {
                Metadata = new ObjectMetaPatchArgs
                {
                    Name = deployment,
                    Namespace = cluster.Namespace,
                    Annotations = { ["pulumi.com/patchForce"] = "true", ["pgha/scaled-down-after-migration"] = "true" },
                },
                Spec = new DeploymentSpecPatchArgs { Replicas = 0 },
            }, scaleDownOptions);
        }

        JobName = Job.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["jobName"] = JobName });
    }
}
