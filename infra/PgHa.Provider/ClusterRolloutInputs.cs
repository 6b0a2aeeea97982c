using System.Collections.Immutable;
using System.Text.Json;
using PgHa.Core.DayTwo;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using Input = PgHa.Core.DayTwo.ClusterRolloutContract.InputName;

namespace PgHa.Provider;

/// <summary>The ClusterRollout resource's inputs, parsed and validated against <see cref="ClusterRolloutContract.Inputs"/>.</summary>
/// <param name="Unknown">Inputs not known yet (a preview before the resources they come from exist).</param>
public sealed record ClusterRolloutInputs(
    string Namespace,
    string StatefulSetName,
    string PodTemplateHash,
    string PatroniConfiguration,
    string StorageSize,
    long StorageBytes,
    int Replicas,
    long ReadinessMaxLagBytes,
    int MemberTimeoutSeconds,
    IReadOnlyList<AppDeployment> AppDeployments,
    IReadOnlyList<CredentialVersion> Credentials,
    string? Kubeconfig,
    string? KubeContext,
    IReadOnlySet<string> Unknown)
{
    public override string ToString() => $"ClusterRollout {Namespace}/{StatefulSetName}";

    /// <summary>What the settings want, for the planner.</summary>
    /// <param name="podTemplateChanges">The pod template about to be applied differs from the one the members run (a plan before it is applied).</param>
    public DesiredState Desired(bool podTemplateChanges) => new(
        StatefulSetName, Replicas, StorageSize, StorageBytes, LivePatroniConfiguration.FromJson(PatroniConfiguration), ReadinessMaxLagBytes,
        podTemplateChanges, AppDeployments);

    /// <summary>The Secret of each role, where the executor reads a rotated password (the stack's own names where the inputs name none).</summary>
    public CredentialSecretNames SecretNames()
    {
        var names = new ResourceNames(StatefulSetName);
        string Of(CredentialRole role, string fallback) => Credentials.FirstOrDefault(c => c.Role == role)?.SecretName ?? fallback;
        return new CredentialSecretNames(Of(CredentialRole.Superuser, names.SuperuserSecret), Of(CredentialRole.Replication, names.ReplicationSecret),
            Of(CredentialRole.App, names.AppSecret), names.MonitoringSecret);
    }

    /// <summary>The roles whose Secret holds another version than when <paramref name="applied"/> was rolled out (none for a new cluster).</summary>
    public IReadOnlyList<RotatedCredential> RotatedSince(ClusterRolloutInputs? applied) =>
        applied is null
            ? []
            : Credentials.Where(c => applied.Credentials.FirstOrDefault(a => a.Role == c.Role) is { } before && before.Version != c.Version)
                .Select(c => new RotatedCredential(c.Role, c.Username)).ToArray();

    /// <summary>Parses the inputs, or lists every problem with the property it concerns.</summary>
    public static (ClusterRolloutInputs? Inputs, IList<CheckFailure> Failures) Parse(ImmutableDictionary<string, PropertyValue> properties)
    {
        var failures = new List<CheckFailure>();
        var unknown = properties.Where(p => p.Value.IsComputed).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        string? Text(string name)
        {
            var input = ClusterRolloutContract.Input(name);
            if (unknown.Contains(name))
            {
                return input.Required ? string.Empty : null;
            }

            if (properties.TryGetValue(name, out var value) && value.TryGetString(out var text) && !string.IsNullOrWhiteSpace(text))
            {
                return text;
            }

            if (input.Required)
            {
                failures.Add(new CheckFailure(name, input.Rule()));
                return string.Empty;
            }

            return null;
        }

        long Number(string name)
        {
            var input = ClusterRolloutContract.Input(name);
            var (min, max) = (input.Minimum!.Value, input.Maximum!.Value);
            if (unknown.Contains(name))
            {
                return min;
            }

            if (properties.TryGetValue(name, out var value) && value.TryGetNumber(out var number) && number >= min && number <= max && number == Math.Floor(number))
            {
                return (long)number;
            }

            failures.Add(new CheckFailure(name, input.Rule()));
            return min;
        }

        var storageSize = Text(Input.StorageSize)!;
        long storageBytes = 0;
        if (!unknown.Contains(Input.StorageSize) && storageSize.Length > 0)
        {
            if (KubernetesQuantity.TryParse(storageSize) is { } bytes && bytes > 0)
            {
                storageBytes = (long)bytes;
            }
            else
            {
                failures.Add(new CheckFailure(Input.StorageSize, $"{Input.StorageSize} \"{storageSize}\" is not a Kubernetes quantity such as 40Gi."));
            }
        }

        var configuration = Text(Input.PatroniConfiguration)!;
        if (!unknown.Contains(Input.PatroniConfiguration) && configuration.Length > 0)
        {
            try
            {
                _ = LivePatroniConfiguration.FromJson(configuration);
            }
            catch (FormatException e)
            {
                failures.Add(new CheckFailure(Input.PatroniConfiguration, $"{Input.PatroniConfiguration} must be Patroni's configuration as a JSON object: {e.Message}"));
            }
        }

        var deployments = new List<AppDeployment>();
        if (properties.TryGetValue(Input.AppDeployments, out var list) && list.TryGetArray(out var items))
        {
            foreach (var item in items)
            {
                if (item.TryGetString(out var text) && text.Split('/') is [{ Length: > 0 } ns, { Length: > 0 } name])
                {
                    deployments.Add(new AppDeployment(ns, name));
                }
                else
                {
                    failures.Add(new CheckFailure(Input.AppDeployments, $"{Input.AppDeployments} holds \"{item}\"; each must be namespace/name."));
                }
            }
        }

        var credentials = ParseCredentials(Text(Input.CredentialVersions), failures);
        var inputs = new ClusterRolloutInputs(
            Text(Input.Namespace)!, Text(Input.StatefulSetName)!, Text(Input.PodTemplateHash)!, configuration.Length > 0 ? configuration : "{}",
            storageSize, storageBytes, (int)Number(Input.Replicas), Number(Input.ReadinessMaxLagBytes), (int)Number(Input.MemberTimeoutSeconds),
            deployments, credentials, Text(Input.Kubeconfig), Text(Input.KubeContext), unknown);
        return failures.Count == 0 ? (inputs, failures) : (null, failures);
    }

    /// <summary>credentialVersions: {"superuser": {"secretName": "…", "username": "postgres", "version": "…"}, …}. Its text is never quoted in a failure.</summary>
    private static IReadOnlyList<CredentialVersion> ParseCredentials(string? json, List<CheckFailure> failures)
    {
        if (json is null)
        {
            return [];
        }

        const string Rule = Input.CredentialVersions + " must be a JSON object of roles (superuser, replication, app), each with a secretName, a username and a version.";
        try
        {
            var result = new List<CredentialVersion>();
            foreach (var (role, entry) in JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(json) ?? [])
            {
                if (!Enum.TryParse<CredentialRole>(role, ignoreCase: true, out var parsed)
                    || !entry.TryGetValue("secretName", out var secretName)
                    || !entry.TryGetValue("username", out var username) || !entry.TryGetValue("version", out var version))
                {
                    failures.Add(new CheckFailure(Input.CredentialVersions, Rule));
                    return [];
                }

                result.Add(new CredentialVersion(parsed, secretName, username, version));
            }

            return result;
        }
        catch (JsonException)
        {
            failures.Add(new CheckFailure(Input.CredentialVersions, Rule));
            return [];
        }
    }
}
