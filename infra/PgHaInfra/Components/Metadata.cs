using PgHa.Core.Naming;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace PgHa.Infra.Components;

/// <summary>Object metadata with the recommended labels of the cluster's objects.</summary>
internal static class Metadata
{
    public static ObjectMetaArgs For(string name, Input<string>? ns, string cluster, string component,
        IReadOnlyDictionary<string, string>? annotations = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        var meta = new ObjectMetaArgs
        {
            Name = name,
            Labels = ToInputMap(labels is null ? Labels.Common(cluster, component) : Labels.Common(cluster, component).Concat(labels).ToDictionary()),
        };
        if (ns is not null)
        {
            meta.Namespace = ns;
        }

        if (annotations is not null)
        {
            meta.Annotations = ToInputMap(annotations);
        }

        return meta;
    }

    public static InputMap<string> ToInputMap(IReadOnlyDictionary<string, string> values)
    {
        var map = new InputMap<string>();
        foreach (var (key, value) in values)
        {
            map.Add(key, value);
        }

        return map;
    }
}
