using PgHa.Core.Kubernetes;
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
    public static ClusterConnection Create(PgHaSettings settings)
    {
        var access = settings.Access;
        var args = new K8s.ProviderArgs
        {
            // Server-side apply: field ownership is tracked, so objects others also manage are not clobbered.
            EnableServerSideApply = true,
        };

        Output<string>? kubeconfig = null;
        Output<string>? oidcIssuer = null;
        if (access.UsesEks)
        {
            var eks = Aws.Eks.GetCluster.Invoke(new Aws.Eks.GetClusterInvokeArgs { Name = access.EksClusterName! });
            kubeconfig = Output.CreateSecret(eks.Apply(c =>
                EksKubeconfig.Render(c.Name, c.Endpoint, c.CertificateAuthorities[0].Data, access.AwsRegion!)));
            args.KubeConfig = kubeconfig;
            oidcIssuer = eks.Apply(c => c.Identities.Length > 0 && c.Identities[0].Oidcs.Length > 0
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
