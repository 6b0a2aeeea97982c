using PgHa.Core.Kubernetes;
using PgHa.Core.Naming;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Rbac.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Rbac.V1;

namespace PgHa.Infra.Components;

/// <param name="BackupRoleArn">The IRSA role for backups (EKS): the ServiceAccount is annotated with it; empty or null for none.</param>
public sealed record PatroniRbacArgs(ClusterIdentity Cluster, Output<string>? BackupRoleArn = null);

/// <summary>The pods' ServiceAccount and a namespaced Role granting only what Patroni's Kubernetes store needs.</summary>
public sealed class PatroniRbac : ComponentResource
{
    /// <summary>The annotation EKS reads to hand a ServiceAccount's pods an IAM role.</summary>
    public const string IrsaRoleAnnotation = "eks.amazonaws.com/role-arn";

    [Output("serviceAccountName")]
    public Output<string> ServiceAccountName { get; }

    public PatroniRbac(string name, PatroniRbacArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:PatroniRbac", name, options)
    {
        var cluster = args.Cluster;
        var names = new ResourceNames(cluster.Name);
        var childOptions = ChildOptions.Of(this, options);
        var metadata = Metadata.For(names.ServiceAccount, cluster.Namespace, cluster.Name, "rbac");
        if (args.BackupRoleArn is { } roleArn)
        {
            // EKS's pod identity webhook gives pods of this ServiceAccount web identity credentials for the role (IRSA).
            metadata.Annotations = roleArn.Apply(arn => string.IsNullOrEmpty(arn)
                ? System.Collections.Immutable.ImmutableDictionary<string, string>.Empty
                : System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add(IrsaRoleAnnotation, arn));
        }

        var serviceAccount = new ServiceAccount(name, new ServiceAccountArgs { Metadata = metadata }, childOptions);

        var rules = new InputList<PolicyRuleArgs>();
        foreach (var rule in PatroniPermissions.Rules)
        {
            rules.Add(new PolicyRuleArgs
            {
                ApiGroups = { rule.ApiGroup },
                Resources = rule.Resources.ToArray(),
                Verbs = rule.Verbs.ToArray(),
            });
        }

        var role = new Role(name, new RoleArgs
        {
            Metadata = Metadata.For(names.Role, cluster.Namespace, cluster.Name, "rbac"),
            Rules = rules,
        }, childOptions);

        _ = new RoleBinding(name, new RoleBindingArgs
        {
            Metadata = Metadata.For(names.RoleBinding, cluster.Namespace, cluster.Name, "rbac"),
            RoleRef = new RoleRefArgs
            {
                ApiGroup = "rbac.authorization.k8s.io",
                Kind = "Role",
                Name = role.Metadata.Apply(m => m.Name),
            },
            Subjects =
            {
                new SubjectArgs
                {
                    Kind = "ServiceAccount",
                    Name = serviceAccount.Metadata.Apply(m => m.Name),
                    Namespace = cluster.Namespace,
                },
            },
        }, childOptions);

        ServiceAccountName = serviceAccount.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["serviceAccountName"] = ServiceAccountName });
    }
}
