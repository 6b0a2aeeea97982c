using Pulumi;
using Pulumi.Kubernetes.ApiExtensions;

namespace PgHa.Infra.Components;

/// <summary>Arguments of a custom resource (a CRD instance) whose body is a spec.</summary>
internal sealed class SpecResourceArgs(string apiVersion, string kind) : CustomResourceArgs(apiVersion, kind)
{
    [Input("spec")]
    public InputMap<object> Spec { get; set; } = new();
}
