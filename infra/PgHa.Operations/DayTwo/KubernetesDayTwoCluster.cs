using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using PgHa.Core.DayTwo;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Pods;
using PgHa.Core.Settings;
using PgHa.Core.Waiting;
using PgHa.Operations.Access;
using PgHa.Operations.Patroni;
using PgHa.Operations.Postgres;

namespace PgHa.Operations.DayTwo;

/// <summary>
/// The day-2 actions on a cluster in Kubernetes: pods, claims, the StatefulSet and Deployments through the Kubernetes
/// API; Patroni's REST API and the primary's PostgreSQL through <paramref name="access"/>'s port-forwards.
/// </summary>
public sealed class KubernetesDayTwoCluster(IKubernetes client, IClusterAccess access, PatroniClient patroni, DayTwoTarget target,
    TimeProvider? time = null) : IDayTwoCluster
{
    /// <summary>The pod label a StatefulSet's controller sets to the revision the pod was created from.</summary>
    public const string RevisionLabel = "controller-revision-hash";

    /// <summary>The pod template annotation <c>kubectl rollout restart</c> sets.</summary>
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private string Namespace => target.Namespace;

    private string StatefulSet => target.Names.StatefulSet;

    public async Task<ObservedCluster> ObserveAsync(CancellationToken cancellationToken)
    {
        var statefulSet = await client.AppsV1.ReadNamespacedStatefulSetAsync(StatefulSet, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pods = await PodsAsync(cancellationToken).ConfigureAwait(false);
        var claims = await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var revisions = Revisions(pods);
        var (view, api) = await PatroniViewAsync(pods, cancellationToken).ConfigureAwait(false);
        // Patroni keeps listing a member whose pod is gone until its key expires: a member without a pod is not counted
        // (the plan is then refused, naming it as not a member), never planned to be recreated.
        view = view with { Members = view.Members.Where(m => ObservedClusterBuilder.Ordinal(StatefulSet, m.Name) is null || revisions.ContainsKey(m.Name)).ToArray() };
        var configuration = LivePatroniConfiguration.FromJson((await patroni.GetConfigAsync(api, cancellationToken).ConfigureAwait(false)).ToJsonString());

        var secrets = await SecretsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, ReplicationRow> replication = new Dictionary<string, ReplicationRow>();
        IReadOnlyDictionary<string, string?> stored = new Dictionary<string, string?>();
        if (view.Leaders.Count == 1)
        {
            var primary = await PrimaryAsync(view.Leaders[0].Name, cancellationToken).ConfigureAwait(false);
            replication = await primary.ReplicationAsync(cancellationToken).ConfigureAwait(false);
            stored = await primary.StoredPasswordsAsync(secrets.Select(s => s.Username).ToArray(), cancellationToken).ConfigureAwait(false);
        }

        var claimPrefix = $"{ResourceNames.DataVolume}-{StatefulSet}-";
        var volumes = claims.Items
            .Where(c => c.Metadata.Name.StartsWith(claimPrefix, StringComparison.Ordinal))
            .Select(c => (Claim: c, Ordinal: ObservedClusterBuilder.Ordinal($"{ResourceNames.DataVolume}-{StatefulSet}", c.Metadata.Name)))
            .Where(c => c.Ordinal is not null)
            .Select(c => new ObservedVolume(c.Claim.Metadata.Name, c.Ordinal!.Value, Storage(c.Claim.Spec?.Resources?.Requests) ?? "0", Storage(c.Claim.Status?.Capacity)))
            .ToArray();

        return ObservedClusterBuilder.Build(
            StatefulSet,
            view,
            configuration,
            replication,
            revisions,
            statefulSet.Status?.UpdateRevision ?? "(none)",
            statefulSet.Spec?.Replicas ?? 1,
            volumes,
            secrets,
            stored);
    }

    public async Task RecreatePodAsync(string pod, DayTwoWait wait, CancellationToken cancellationToken)
    {
        var old = await client.CoreV1.ReadNamespacedPodAsync(pod, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var oldUid = old.Metadata.Uid;
        // Graceful: the pod's grace period lets Patroni stop PostgreSQL and release the leader lock it may hold.
        await client.CoreV1.DeleteNamespacedPodAsync(pod, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        await wait.UntilTrueAsync($"{pod} to be recreated and running", async () =>
        {
            V1Pod current;
            try
            {
                current = await client.CoreV1.ReadNamespacedPodAsync(pod, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                throw new NotYetException($"{pod} is deleted, its replacement not created yet");
            }

            if (current.Metadata.Uid == oldUid)
            {
                throw new NotYetException($"the old {pod} is still terminating");
            }

            if (current.Status?.Phase != "Running")
            {
                var waiting = current.Status?.ContainerStatuses?.Select(c => c.State?.Waiting).OfType<V1ContainerStateWaiting>()
                    .Select(w => $"{w.Reason}: {w.Message}").FirstOrDefault();
                var unschedulable = current.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
                throw new NotYetException($"the new {pod} is {current.Status?.Phase ?? "without status"}" +
                    (unschedulable is null ? string.Empty : $" (not scheduled: {unschedulable.Message})") +
                    (waiting is null ? string.Empty : $" ({waiting})"));
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RestartPostgresAsync(string pod, bool onlyIfPending, CancellationToken cancellationToken) =>
        await patroni.RestartAsync(await access.PatroniApiAsync(pod, cancellationToken).ConfigureAwait(false), onlyIfPending, cancellationToken).ConfigureAwait(false);

    public async Task SwitchoverAsync(string leader, string candidate, CancellationToken cancellationToken) =>
        await patroni.SwitchoverAsync(await access.PatroniApiAsync(leader, cancellationToken).ConfigureAwait(false), leader, candidate, cancellationToken)
            .ConfigureAwait(false);

    public async Task<string?> SwitchoverBlockerAsync(string leader, string candidate, CancellationToken cancellationToken)
    {
        var pods = await PodsAsync(cancellationToken).ConfigureAwait(false);
        string? Scheme(string pod) => PatroniApiScheme.FromStatusAnnotation(
            pods.FirstOrDefault(p => p.Metadata.Name == pod)?.Metadata.Annotations is { } annotations
            && annotations.TryGetValue(PatroniApiScheme.StatusAnnotation, out var status) ? status : null);
        var (from, to) = (Scheme(leader), Scheme(candidate));
        return from is not null && to is not null && from != to
            ? $"{leader}'s Patroni REST API serves {from} and {candidate}'s {to}: {leader} cannot check {candidate} before stepping down"
            : null;
    }

    public async Task<LivePatroniConfiguration> ReadConfigurationAsync(CancellationToken cancellationToken)
    {
        var (_, api) = await PatroniViewAsync(await PodsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return LivePatroniConfiguration.FromJson((await patroni.GetConfigAsync(api, cancellationToken).ConfigureAwait(false)).ToJsonString());
    }

    public async Task<LivePatroniConfiguration> PatchConfigurationAsync(string json, CancellationToken cancellationToken)
    {
        var (_, api) = await PatroniViewAsync(await PodsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var changes = JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("PATCH /config takes a JSON object.", nameof(json));
        return LivePatroniConfiguration.FromJson((await patroni.PatchConfigAsync(api, changes, cancellationToken).ConfigureAwait(false)).ToJsonString());
    }

    public async Task<string> ReadPasswordAsync(CredentialRole role, CancellationToken cancellationToken)
    {
        var name = SecretName(role);
        var secret = await client.CoreV1.ReadNamespacedSecretAsync(name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Key(secret, SpiloEnvironment.PasswordKey);
    }

    public async Task SetPasswordVerifierAsync(string username, string verifier, CancellationToken cancellationToken) =>
        await (await PrimaryAsync(await LeaderAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
            .SetVerifierAsync(username, verifier, cancellationToken).ConfigureAwait(false);

    public async Task DropReplicationSlotAsync(string slot, CancellationToken cancellationToken) =>
        await (await PrimaryAsync(await LeaderAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
            .DropSlotAsync(slot, cancellationToken).ConfigureAwait(false);

    public async Task GrowVolumeAsync(string claim, string size, DayTwoWait wait, CancellationToken cancellationToken)
    {
        var want = KubernetesQuantity.TryParse(size) ?? throw new ArgumentException($"\"{size}\" is not a Kubernetes quantity.", nameof(size));
        var since = _time.GetUtcNow().UtcDateTime.AddSeconds(-5);
        await client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
            Merge(new { spec = new { resources = new { requests = new Dictionary<string, string> { ["storage"] = size } } } }),
            claim, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        await wait.UntilTrueAsync($"the volume of {claim} and its filesystem to grow to {size}", async () =>
        {
            var events = await client.CoreV1.ListNamespacedEventAsync(Namespace,
                fieldSelector: $"involvedObject.kind=PersistentVolumeClaim,involvedObject.name={claim}", cancellationToken: cancellationToken).ConfigureAwait(false);
            var failed = events.Items.Where(e => e.Reason is "VolumeResizeFailed" or "FileSystemResizeFailed" && (e.LastTimestamp ?? e.EventTime ?? DateTime.MinValue) >= since)
                .OrderByDescending(e => e.LastTimestamp ?? e.EventTime).FirstOrDefault();
            if (failed is not null)
            {
                throw new FatalWaitException($"{claim} was not resized: {failed.Reason}: {failed.Message} " +
                    "(AWS EBS allows one modification per volume every six hours; the claim keeps asking for the new size, and the next pulumi up waits for it again).");
            }

            var current = await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            var capacity = Storage(current.Status?.Capacity);
            var conditions = (current.Status?.Conditions ?? []).Where(c => c.Status == "True").Select(c => c.Type).ToArray();
            if (KubernetesQuantity.TryParse(capacity) is not { } bytes || bytes < want || conditions.Length > 0)
            {
                throw new NotYetException($"{claim} has {capacity ?? "no capacity yet"}" + (conditions.Length == 0 ? string.Empty : $", conditions {string.Join(", ", conditions)}"));
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task ScaleStatefulSetAsync(int replicas, DayTwoWait wait, CancellationToken cancellationToken)
    {
        await client.AppsV1.PatchNamespacedStatefulSetAsync(Merge(new { spec = new { replicas } }), StatefulSet, Namespace, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await wait.UntilTrueAsync($"{StatefulSet} to have exactly the pods of ordinals 0 to {replicas - 1}", async () =>
        {
            var ordinals = (await PodsAsync(cancellationToken).ConfigureAwait(false))
                .Select(p => ObservedClusterBuilder.Ordinal(StatefulSet, p.Metadata.Name)).OfType<int>().Order().ToArray();
            return ordinals.SequenceEqual(Enumerable.Range(0, replicas))
                ? true
                : throw new NotYetException($"pods of ordinals {string.Join(", ", ordinals)}");
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task RestartDeploymentAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await client.AppsV1.PatchNamespacedDeploymentAsync(
            Merge(new { spec = new { template = new { metadata = new { annotations = new Dictionary<string, string> { [RestartedAtAnnotation] = at } } } } }),
            name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each member pod's template revision (its <see cref="RevisionLabel"/>); a pod without one is an error, since the rollout could not tell what it runs.</summary>
    private Dictionary<string, string> Revisions(IReadOnlyList<V1Pod> pods) => pods.ToDictionary(
        p => p.Metadata.Name,
        p => p.Metadata.Labels?.TryGetValue(RevisionLabel, out var revision) == true && !string.IsNullOrEmpty(revision)
            ? revision
            : throw new InvalidOperationException(
                $"pod {Namespace}/{p.Metadata.Name} has no label {RevisionLabel}, which the controller of StatefulSet {Namespace}/{StatefulSet} puts on every pod it " +
                $"creates: the rollout cannot tell which pod template it runs. Find out what created it (kubectl -n {Namespace} get pod {p.Metadata.Name} -o yaml); " +
                $"once the StatefulSet's own pod runs as {p.Metadata.Name}, run pulumi up again."),
        StringComparer.Ordinal);

    private async Task<IReadOnlyList<V1Pod>> PodsAsync(CancellationToken cancellationToken)
    {
        var selector = string.Join(",", Labels.Selector(target.Cluster).Select(l => $"{l.Key}={l.Value}"));
        var pods = await client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return pods.Items.Where(p => ObservedClusterBuilder.Ordinal(StatefulSet, p.Metadata.Name) is not null).ToArray();
    }

    /// <summary>Patroni's GET /cluster from the first pod whose REST API answers (the labelled primary first), and that API.</summary>
    private async Task<(PatroniClusterView View, Uri Api)> PatroniViewAsync(IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var ordered = pods.OrderByDescending(p => p.Metadata.Labels?.TryGetValue(Labels.RoleKey, out var role) == true && role == Labels.PrimaryRole)
            .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal);
        foreach (var pod in ordered.Where(p => p.Status?.Phase == "Running"))
        {
            try
            {
                var api = await access.PatroniApiAsync(pod.Metadata.Name, cancellationToken).ConfigureAwait(false);
                return (await patroni.GetClusterAsync(api, cancellationToken).ConfigureAwait(false), api);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or JsonException)
            {
                errors.Add($"{pod.Metadata.Name}: {e.Message}");
            }
        }

        throw new InvalidOperationException($"no member of {target} answers Patroni's GET /cluster" + (errors.Count == 0 ? " (no pod runs)." : ": " + string.Join("; ", errors)));
    }

    private async Task<string> LeaderAsync(CancellationToken cancellationToken)
    {
        var (view, _) = await PatroniViewAsync(await PodsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return view.Leaders.Count == 1
            ? view.Leaders[0].Name
            : throw new InvalidOperationException($"{target} has {view.Leaders.Count} leaders, not one: {view}");
    }

    /// <summary>
    /// The primary as the superuser, with the password in the superuser Secret; when the server refuses it (a superuser
    /// rotation before its ALTER ROLE: Pulumi updated the Secret, the role still has the old password), with the password
    /// the primary's container started with (<see cref="SpiloEnvironment.SuperuserPasswordVariable"/>, read by exec),
    /// which is the one the role has until the rotation's ALTER ROLE.
    /// </summary>
    private async Task<PrimaryDatabase> PrimaryAsync(string leader, CancellationToken cancellationToken)
    {
        var endpoint = await access.PostgresEndpointAsync(leader, cancellationToken).ConfigureAwait(false);
        // The superuser: the day-2 steps set roles' passwords (ALTER ROLE, reading pg_authid to notice a rotation) and drop
        // replication slots, which only a superuser (or a role with CREATEROLE and REPLICATION) may do.
        var superuser = await access.GetSuperuserAsync(cancellationToken).ConfigureAwait(false);
        var primary = new PrimaryDatabase(MemberConnection.For(endpoint, superuser));
        if (await primary.AcceptsPasswordAsync(cancellationToken).ConfigureAwait(false))
        {
            return primary;
        }

        var running = await RunningSuperuserPasswordAsync(leader, cancellationToken).ConfigureAwait(false);
        var previous = new PrimaryDatabase(MemberConnection.For(endpoint, superuser with { Password = running }));
        return await previous.AcceptsPasswordAsync(cancellationToken).ConfigureAwait(false)
            ? previous
            : throw new InvalidOperationException(
                $"{leader} refuses the superuser {superuser.Username} both with the password in Secret {Namespace}/{target.Secrets.Superuser} and with the one " +
                $"its container started with: the role has a password neither knows. Set it with ALTER ROLE on {leader} to the Secret's, then run again.");
    }

    /// <summary>The superuser password the pod's container started with (its environment), read by exec; never logged.</summary>
    private async Task<string> RunningSuperuserPasswordAsync(string pod, CancellationToken cancellationToken)
    {
        string? password = null;
        var error = string.Empty;
        var exit = await client.NamespacedPodExecAsync(pod, Namespace, SpiloPod.Container, ["printenv", SpiloEnvironment.SuperuserPasswordVariable], false,
            async (_, stdout, stderr) =>
            {
                using var output = new StreamReader(stdout);
                using var errors = new StreamReader(stderr);
                password = await output.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                error = await errors.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        password = password?.TrimEnd('\n');
        return exit == 0 && !string.IsNullOrEmpty(password)
            ? password
            : throw new InvalidOperationException(
                $"could not read {SpiloEnvironment.SuperuserPasswordVariable} in {Namespace}/{pod} (container {SpiloPod.Container}, exit code {exit}" +
                (error.Length == 0 ? ")" : $": {error.Trim()})") + ", needed because the primary refuses the password in the superuser Secret. " +
                "Allow pods/exec in the namespace to whoever runs pulumi up, or set the role's password to the Secret's with ALTER ROLE, then run again.");
    }

    /// <summary>Each role's Secret that exists (the app's is optional).</summary>
    private async Task<IReadOnlyList<RoleSecret>> SecretsAsync(CancellationToken cancellationToken)
    {
        var found = new List<RoleSecret>();
        foreach (var role in Enum.GetValues<CredentialRole>())
        {
            try
            {
                var secret = await client.CoreV1.ReadNamespacedSecretAsync(SecretName(role), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                found.Add(new RoleSecret(role, Key(secret, SpiloEnvironment.UsernameKey), Key(secret, SpiloEnvironment.PasswordKey)));
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound && role == CredentialRole.App)
            {
                // No app role managed here.
            }
        }

        return found;
    }

    private string SecretName(CredentialRole role) => role switch
    {
        CredentialRole.Superuser => target.Secrets.Superuser,
        CredentialRole.Replication => target.Secrets.Replication,
        _ => target.Secrets.App,
    };

    private string Key(V1Secret secret, string key) => secret.Data is not null && secret.Data.TryGetValue(key, out var value)
        ? Encoding.UTF8.GetString(value)
        : throw new InvalidOperationException($"Secret {Namespace}/{secret.Metadata?.Name} has no key \"{key}\".");

    private static string? Storage(IDictionary<string, ResourceQuantity>? quantities) =>
        quantities is not null && quantities.TryGetValue("storage", out var quantity) ? quantity.ToString() : null;

    private static V1Patch Merge(object body) => new(JsonSerializer.Serialize(body), V1Patch.PatchType.MergePatch);
}
