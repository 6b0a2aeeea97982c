using PgHa.Core.Bootstrap;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Batch.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

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
        var env = PodSpecParts.Env(AppDatabaseBootstrap.Environment(
            ResourceNames.ServiceHost(args.Names.ReadWriteService, settings.Cluster.Namespace), settings.Postgres.Database, args.Secrets));

        var job = new Job(name, new JobArgs
        {
            Metadata = Metadata.For(args.Names.AppBootstrapJob, args.Namespace, cluster, "bootstrap"),
            Spec = new JobSpecArgs
            {
                BackoffLimit = 3,
                ActiveDeadlineSeconds = WaitForPrimarySeconds + 120,
                Template = new PodTemplateSpecArgs
                {
                    Metadata = new ObjectMetaArgs { Labels = Metadata.ToInputMap(Labels.Common(cluster, "bootstrap")) },
                    Spec = new PodSpecArgs
                    {
                        RestartPolicy = "Never",
                        SecurityContext = PodSpecParts.NonRootPod(),
                        Containers =
                        {
                            new ContainerArgs
                            {
                                Name = "bootstrap",
                                // The cluster's own image: its psql matches the server and has \getenv.
                                Image = settings.Postgres.Image,
                                Command = { "/bin/bash", "-c", AppDatabaseBootstrap.Script(WaitForPrimarySeconds) },
                                Env = env,
                                Resources = new ResourceRequirementsArgs
                                {
                                    Requests = { ["cpu"] = "50m", ["memory"] = "64Mi" },
                                    Limits = { ["memory"] = "128Mi" },
                                },
                                SecurityContext = PodSpecParts.RestrictedContainer(),
                            },
                        },
                    },
                },
            },
        }, new CustomResourceOptions { Parent = this, DependsOn = args.DependsOn.ToArray() });

        JobName = job.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["jobName"] = JobName });
    }
}
