using PgHa.Core.Kubernetes;
using PgHa.Operations.Kubernetes;
using PgHa.Core.Settings;
using Pulumi;
using Aws = Pulumi.Aws;
using K8s = Pulumi.Kubernetes;

namespace PgHa.Infra;

/// <summary>
/// The explicit Kubernetes provider every resource uses: a named kubeconfig context, or a kubeconfig built from an
/// EKS cluster lookup. Never the ambient current context.
/// </summary>
internal static class KubernetesProviderFactory
{
    /// <summary>
    /// The target, before anything is created: the context as configured, or the EKS cluster looked up once (an
    /// invoke) and its kubeconfig rendered; credentials come from `aws eks get-token` at each use.
    /// </summary>
    public static async Task<ResolvedCluster> ResolveAsync(PgHaSettings settings)
    {
        var access = settings.Access;
        if (!access.UsesEks)
        {
            return new ResolvedCluster(KubeconfigTarget.ForContext(access.KubeContext!), null);
        }

        var eks = await Aws.Eks.GetCluster.InvokeAsync(new Aws.Eks.GetClusterArgs { Name = access.EksClusterName! }).ConfigureAwait(false);
        var kubeconfig = EksKubeconfig.Render(eks.Name, eks.Endpoint, eks.CertificateAuthorities[0].Data, access.AwsRegion!);
        return new ResolvedCluster(KubeconfigTarget.ForDocument(kubeconfig, $"EKS cluster {eks.Name}"), eks);
    }

    public static ClusterConnection Create(PgHaSettings settings, ResolvedCluster cluster)
    {
        var access = settings.Access;
        var args = new K8s.ProviderArgs
        {
            // Server-side apply: field ownership is tracked, so objects others also manage are not clobbered.
            EnableServerSideApply = true,
            // Secrets and ConfigMaps are updated in place, not replaced: pulumi-kubernetes otherwise treats their data as
            // force-new, and a rotated password would replace (delete, then create) the Secret the running pods read,
            // and a changed Patroni setting the ConfigMap they take SPILO_CONFIGURATION from. The day-2 rollout then
            // brings the database to the new values (ALTER ROLE, PATCH /config) before any pod reads them.
            EnableSecretMutable = true,
            EnableConfigMapMutable = true,
        };

        Output<string>? kubeconfig = null;
        Output<string>? oidcIssuer = null;
        if (cluster.Eks is { } eks)
        {
            kubeconfig = Output.CreateSecret(cluster.Target.Kubeconfig!);
            args.KubeConfig = kubeconfig;
            oidcIssuer = Output.Create(eks).Apply(c => c.Identities.Length > 0 && c.Identities[0].Oidcs.Length > 0
                ? c.Identities[0].Oidcs[0].Issuer
                : throw new InvalidOperationException($"EKS cluster {c.Name} has no OIDC issuer: enable IRSA (eksctl utils associate-iam-oidc-provider) for backups."));
        }
        else
        {
            args.Context = access.KubeContext!;
        }

        return new ClusterConnection(new K8s.Provider($"{settings.Cluster.Name}-k8s", args), kubeconfig, access.KubeContext, oidcIssuer);
    }
}
