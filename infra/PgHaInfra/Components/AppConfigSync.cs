using System.Collections.Immutable;
using PgHa.Core.AppConfig;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Kubernetes.Apps.V1;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Apps.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace PgHa.Infra.Components;

/// <param name="Cluster">Whose Services the app is pointed at.</param>
/// <param name="Database">The app database's name.</param>
/// <param name="CaCertificate">The cluster's CA, written to the ConfigMap; null (the value) when cert-manager's issuer holds it.</param>
public sealed record AppConfigSyncArgs(ClusterIdentity Cluster, string Database, AppConfigSettings App, Output<string?>? CaCertificate = null);

/// <summary>
/// Keeps the app's existing ConfigMap pointing at the cluster: server-side applies only the connection keys (the
/// app's other keys keep their owners), and restarts the named Deployments through a pod template annotation that
/// is a checksum of those values, so they roll exactly when a value changes and never otherwise. Give it, as
/// <see cref="ResourceOptions.DependsOn"/>, what must be done before apps are pointed at the cluster (its
/// verification, a migration).
/// </summary>
public sealed class AppConfigSync : ComponentResource
{
    /// <summary>The checksum the restarted Deployments carry.</summary>
    [Output("checksum")] public Output<string> Checksum { get; }

    public AppConfigSync(string name, AppConfigSyncArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:AppConfigSync", name, options)
    {
        var app = args.App;
        var values = (args.CaCertificate ?? Output.Create((string?)null))
            .Apply(ca => AppConnectionValues.Build(args.Cluster, args.Database, app.Keys, ca));
        // The CA changes only when it is replaced (not when the server certificate is renewed): then the apps restart.
        var checksum = values.Apply(AppConnectionValues.Checksum);
        var data = values.Apply(v => v.ToImmutableDictionary(kv => kv.Key, kv => kv.Value));

        // patchForce: the old runbook patched these keys by hand (kubectl owns them); this stack takes them over.
        var configMap = new ConfigMapPatch(name, new ConfigMapPatchArgs
        {
            Metadata = new ObjectMetaPatchArgs
            {
                Name = app.ConfigMap,
                Namespace = app.Namespace,
                Annotations = { ["pulumi.com/patchForce"] = "true" },
            },
            Data = data,
        }, ChildOptions.Of(this, options));

        foreach (var deployment in app.RestartDeployments)
        {
            var restartOptions = ChildOptions.Of(this, options);
            restartOptions.DependsOn.Add(configMap);
            _ = new DeploymentPatch($"{name}-restart-{deployment}", new DeploymentPatchArgs
            {
                Metadata = new ObjectMetaPatchArgs
                {
                    Name = deployment,
                    Namespace = app.Namespace,
                    Annotations = { ["pulumi.com/patchForce"] = "true" },
                },
                Spec = new DeploymentSpecPatchArgs
                {
                    Template = new PodTemplateSpecPatchArgs
                    {
                        Metadata = new ObjectMetaPatchArgs { Annotations = { [AppConnectionValues.RestartAnnotation] = checksum } },
                    },
                },
            }, restartOptions);
        }

        Checksum = checksum;
        RegisterOutputs(new Dictionary<string, object?> { ["checksum"] = Checksum });
    }
}
