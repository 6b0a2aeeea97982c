using YamlDotNet.Serialization;

namespace PgHa.Core.Kubernetes;

/// <summary>
/// A kubeconfig for an EKS cluster whose credentials come from `aws eks get-token` at each use, so no token is
/// stored in state (the kubeconfig is still handled as a secret: it names the cluster's endpoint).
/// </summary>
public static class EksKubeconfig
{
    public static string Render(string clusterName, string endpoint, string certificateAuthorityData, string region)
    {
        var name = $"eks-{clusterName}";
        var config = new Dictionary<string, object>
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new List<object>
            {
                new Dictionary<string, object>
                {
                    ["name"] = name,
                    ["cluster"] = new Dictionary<string, object>
                    {
                        ["server"] = endpoint,
                        ["certificate-authority-data"] = certificateAuthorityData,
                    },
                },
            },
            ["users"] = new List<object>
            {
                new Dictionary<string, object>
                {
                    ["name"] = name,
                    ["user"] = new Dictionary<string, object>
                    {
                        ["exec"] = new Dictionary<string, object>
                        {
                            ["apiVersion"] = "client.authentication.k8s.io/v1beta1",
                            ["command"] = "aws",
                            ["args"] = new List<object> { "eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json" },
                            ["interactiveMode"] = "Never",
                        },
                    },
                },
            },
            ["contexts"] = new List<object>
            {
                new Dictionary<string, object>
                {
                    ["name"] = name,
                    ["context"] = new Dictionary<string, object> { ["cluster"] = name, ["user"] = name },
                },
            },
            ["current-context"] = name,
        };
        return new SerializerBuilder().DisableAliases().Build().Serialize(config);
    }
}
