using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using PgHa.Core.Patroni;

namespace PgHa.Operations.Kubernetes;

/// <summary>
/// A role's username and password from its Secret (keys username and password), read through the Kubernetes API when
/// they are needed, so nothing else has to hold the password. Errors name the Secret and the key, never a value.
/// </summary>
public static class CredentialsSecret
{
    public static async Task<(string Username, string Password)> ReadAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken)
    {
        k8s.Models.V1Secret secret;
        try
        {
            secret = await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException(
                $"Secret {ns}/{name} does not exist. It holds the credentials of the role used here; the stack creates it " +
                "(a cluster deployed before it existed gets it with the next pulumi up).", e);
        }

        string Key(string key) => secret.Data is not null && secret.Data.TryGetValue(key, out var value)
            ? Encoding.UTF8.GetString(value)
            : throw new InvalidOperationException($"Secret {ns}/{name} has no key \"{key}\".");
        return (Key(SpiloEnvironment.UsernameKey), Key(SpiloEnvironment.PasswordKey));
    }
}
