using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using PgHa.Operations.Access;

namespace PgHa.Operations.DayTwo;

/// <summary>The running cluster a day-2 run works on: where it is, and the Secrets that hold each role's credentials.</summary>
/// <param name="Cluster">pgha:clusterName: the StatefulSet, the pods' prefix and the Patroni scope.</param>
/// <param name="KubeContext">The kubeconfig context; null: the current one.</param>
public sealed record DayTwoTarget(string Namespace, string Cluster, string? KubeContext, CredentialSecretNames Secrets)
{
    public ResourceNames Names => new(Cluster);

    /// <summary>From the stack's settings.</summary>
    public static DayTwoTarget From(PgHaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var names = new ResourceNames(settings.Cluster.Name);
        return new DayTwoTarget(settings.Cluster.Namespace, settings.Cluster.Name, settings.Access.KubeContext,
            CredentialSecretNames.For(settings.Credentials, names));
    }

    /// <summary>The port-forward access to its members (PostgreSQL as the superuser, Patroni's REST API).</summary>
    public ClusterTarget ToClusterTarget(long maxLagBytes) =>
        new(Namespace, Cluster, KubeContext, Secrets.Superuser, ExpectedMembers: null, maxLagBytes, ExpectArchiving: false);

    public override string ToString() => $"{Namespace}/{Cluster}";
}
