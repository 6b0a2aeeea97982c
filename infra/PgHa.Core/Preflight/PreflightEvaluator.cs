using System.Globalization;
using PgHa.Core.Naming;
using PgHa.Core.Settings;

namespace PgHa.Core.Preflight;

/// <summary>
/// Judges a <see cref="ClusterSnapshot"/> against the settings: everything that would otherwise fail (or do harm) only
/// after the database exists, each problem naming the object, the config key and the fix. Pure: no I/O.
/// </summary>
public static class PreflightEvaluator
{
    private const string ZoneLabel = "topology.kubernetes.io/zone";

    private static readonly string ZoneSpreadPreferred = ConfigKeys.ZoneSpread.SetCommand(EnumSetting<ZoneSpreadMode>.Spelling(ZoneSpreadMode.Preferred));

    private static readonly string UnusedClusterName = ConfigKeys.ClusterName.SetCommand("<an unused name>");

    /// <summary>The most nodes a message names one by one.</summary>
    private const int NodesNamed = 8;

    public static PreflightReport Evaluate(PgHaSettings settings, ClusterSnapshot snapshot)
    {
        var reads = PreflightReads.For(settings);
        var problems = new List<PreflightProblem>();
        foreach (var unread in snapshot.Unread)
        {
            problems.Add(new PreflightProblem(PreflightSeverity.Warning, unread.What, ConfigKeys.Preflight.FullName, "true",
                $"not checked: the Kubernetes API answered {unread.Reason}, so the checks that need it were skipped.",
                "grant the identity that runs pulumi read access to it, or check it by hand with kubectl."));
        }

        CheckNamespace(settings, snapshot, problems);
        CheckStorage(settings, snapshot, problems);
        CheckNodes(settings, snapshot, problems);
        CheckCustomResourceDefinitions(reads, snapshot, problems);
        CheckObjects(reads.ConfigMaps, snapshot.ConfigMaps, snapshot.WasRead(ReadArea.ConfigMaps), problems);
        CheckObjects(reads.Deployments, snapshot.Deployments, snapshot.WasRead(ReadArea.Deployments), problems);
        CheckSecrets(reads, snapshot, problems);
        CheckStatefulSetAndClaims(settings, snapshot, problems);
        return new PreflightReport(problems);
    }

    private static PreflightProblem Error(string obj, ConfigKey key, string? value, string problem, string fix) =>
        new(PreflightSeverity.Error, obj, key.FullName, value, problem, fix);

    private static PreflightProblem Warning(string obj, ConfigKey key, string? value, string problem, string fix) =>
        new(PreflightSeverity.Warning, obj, key.FullName, value, problem, fix);

    private static void CheckNamespace(PgHaSettings settings, ClusterSnapshot snapshot, List<PreflightProblem> problems)
    {
        if (!snapshot.WasRead(ReadArea.Namespace))
        {
            return;
        }

        var cluster = settings.Cluster;
        if (snapshot.Namespace is null && !cluster.CreateNamespace)
        {
            problems.Add(Error($"Namespace {cluster.Namespace}", ConfigKeys.Namespace, cluster.Namespace,
                $"does not exist, and {ConfigKeys.CreateNamespace.FullName} is false (the stack expects it to exist).",
                $"kubectl create namespace {cluster.Namespace}  (or: {ConfigKeys.CreateNamespace.SetCommand("true")}; the stack then owns it and pulumi destroy deletes it)"));
        }
        else if (snapshot.Namespace is { } existing && cluster.CreateNamespace && !existing.HasLabels(Labels.Common(cluster.Name, "namespace")))
        {
            // Decided: an error, not a warning. With server-side apply the stack would adopt the namespace, and a later
            // pulumi destroy (or createNamespace false) would delete it with everything in it, the app included.
            problems.Add(Error($"Namespace {cluster.Namespace}", ConfigKeys.CreateNamespace, "true",
                $"already exists and was not created by this stack (it lacks the labels {Labels.Instance}={cluster.Name}, {Labels.ManagedBy}=pulumi); " +
                "the stack would adopt it, and pulumi destroy would then delete it with everything in it.",
                ConfigKeys.CreateNamespace.SetCommand("false")));
        }
    }

    private static void CheckStorage(PgHaSettings settings, ClusterSnapshot snapshot, List<PreflightProblem> problems)
    {
        var name = settings.Storage.StorageClassName;
        if (snapshot.WasRead(ReadArea.StorageClasses))
        {
            var storageClass = snapshot.StorageClasses.FirstOrDefault(c => c.Name == name);
            var expandable = snapshot.StorageClasses.Where(c => c.AllowVolumeExpansion == true).Select(c => c.Name).Order(StringComparer.Ordinal).ToArray();
            var choose = expandable.Length > 0
                ? ConfigKeys.StorageClassName.SetCommand($"<one of: {string.Join(", ", expandable)}>")
                : ConfigKeys.StorageClassName.SetCommand("<a StorageClass with allowVolumeExpansion: true>") + "  (the cluster has none)";
            if (settings.Cluster.Platform == Platform.Generic && storageClass is null)
            {
                problems.Add(Error($"StorageClass {name}", ConfigKeys.StorageClassName, name,
                    "does not exist; the pods' volumes would never be provisioned and the pods would stay Pending.", choose));
            }
            else if (settings.Cluster.Platform == Platform.Generic && storageClass!.AllowVolumeExpansion != true)
            {
                problems.Add(Error($"StorageClass {name}", ConfigKeys.StorageClassName, name,
                    $"does not allow volume expansion (allowVolumeExpansion is not true): volumes grow by patching their claims, so raising {ConfigKeys.StorageSize.FullName} on the running cluster would fail.",
                    $"kubectl patch storageclass {name} -p '{{\"allowVolumeExpansion\": true}}'  (when its provisioner, {storageClass.Provisioner}, can grow volumes; or: {choose})"));
            }
            else if (settings.Cluster.Platform == Platform.Eks && storageClass is not null
                && !new ObservedObject(null, storageClass.Name, storageClass.Labels).HasLabels(Labels.Common(settings.Cluster.Name, "storage")))
            {
                problems.Add(Error($"StorageClass {name}", ConfigKeys.StorageClassName, name,
                    $"already exists and was not created by this stack (provisioner {storageClass.Provisioner}); the stack creates its own encrypted gp3 class under this name and cannot change an existing class's parameters.",
                    ConfigKeys.StorageClassName.SetCommand($"<an unused name, e.g. {settings.Cluster.Name}-gp3-encrypted>")));
            }
        }

        if (settings.Cluster.Platform == Platform.Eks && snapshot.WasRead(ReadArea.CsiDrivers) && !snapshot.CsiDrivers.Contains(PreflightReads.EbsCsiDriver))
        {
            var eks = settings.Access.EksClusterName ?? "<cluster>";
            problems.Add(Error($"CSIDriver {PreflightReads.EbsCsiDriver}", ConfigKeys.Platform, "eks",
                "is not installed: the EBS volumes of the StorageClass the stack creates would never be provisioned and the pods would stay Pending.",
                $"aws eks create-addon --cluster-name {eks} --addon-name aws-ebs-csi-driver --service-account-role-arn <role with AmazonEBSCSIDriverPolicy>  (or: {ConfigKeys.Platform.SetCommand(EnumSetting<Platform>.Spelling(Platform.Generic))} with an existing StorageClass)"));
        }
    }

    private static void CheckNodes(PgHaSettings settings, ClusterSnapshot snapshot, List<PreflightProblem> problems)
    {
        if (!snapshot.WasRead(ReadArea.Nodes))
        {
            return;
        }

        var replicas = settings.Cluster.Replicas;
        var antiRequired = settings.Scheduling.AntiAffinity == AntiAffinityMode.Required;
        var zoneRequired = settings.Scheduling.ZoneSpread == ZoneSpreadMode.Required;
        var reasons = snapshot.Nodes.ToDictionary(n => n.Name, n => Unusable(settings, n), StringComparer.Ordinal);
        var usable = snapshot.Nodes.Where(n => reasons[n.Name] is null).ToArray();

        var capacity = Capacity(usable, replicas, antiRequired, zoneRequired);
        if (capacity >= replicas)
        {
            return;
        }

        // Which rule binds: without the zone rule (and its label requirement) would the pods fit?
        var withoutZones = Capacity(snapshot.Nodes.Where(n => Unusable(settings, n, ignoreZone: true) is null).ToArray(), replicas, antiRequired, zoneRequired: false);
        var zoneBinds = zoneRequired && withoutZones >= replicas;

        var need = (antiRequired, zoneRequired) switch
        {
            (true, true) => "a node each (pgha:antiAffinity required) spread over zones at most one pod apart (pgha:zoneSpread required)",
            (true, false) => "a node each (pgha:antiAffinity required)",
            (false, true) => "nodes with a zone label (pgha:zoneSpread required)",
            _ => "at least one node they can run on",
        };
        var zones = usable.Where(n => n.Zone is not null).GroupBy(n => n.Zone!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({g.Select(n => n.Hostname).Distinct(StringComparer.Ordinal).Count()})").ToArray();
        var offered = $"room for {capacity}: {usable.Length} usable node(s)" + (zones.Length > 0 ? $" in zone(s) {string.Join(", ", zones)}" : string.Empty) + ".";
        var unusable = snapshot.Nodes.Where(n => reasons[n.Name] is not null).OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        var notUsable = unusable.Length == 0 ? string.Empty
            : " Not usable: " + string.Join("; ", unusable.Take(NodesNamed).Select(n => $"{n.Name} ({reasons[n.Name]})"))
              + (unusable.Length > NodesNamed ? $"; and {unusable.Length - NodesNamed} more" : string.Empty) + ".";
        var problem = $"{replicas} database pods need {need}; the cluster has {offered}{notUsable} The pods beyond that would stay Pending until the deployment times out.";

        var severity = PreflightSeverity.Error;
        if (snapshot.NodeAutoscaler is { } autoscaler)
        {
            severity = PreflightSeverity.Warning;
            problem += $" {autoscaler} may add nodes for them; if it cannot, the deployment fails after pgha:checkTimeoutSeconds.";
        }

        if (zoneBinds)
        {
            var unlabelled = usable.Length == 0 && snapshot.Nodes.Count > 0 && snapshot.Nodes.All(n => n.Zone is null);
            problems.Add(new PreflightProblem(severity, "nodes", ConfigKeys.ZoneSpread.FullName, "required", problem,
                unlabelled
                    ? $"label the nodes with {ZoneLabel} (kubectl label node <node> {ZoneLabel}=<zone>), or: {ZoneSpreadPreferred}"
                    : $"add usable nodes in the zone(s) with the fewest, or: {ZoneSpreadPreferred}  (pods may then share a zone)"));
            return;
        }

        var fewer = capacity >= 2 ? $", or: {ConfigKeys.Replicas.SetCommand(capacity.ToString(CultureInfo.InvariantCulture))}" : string.Empty;
        var preferred = antiRequired
            ? $", or: {ConfigKeys.AntiAffinity.SetCommand(EnumSetting<AntiAffinityMode>.Spelling(AntiAffinityMode.Preferred))}  (two members may then share a node and fail together)"
            : string.Empty;
        problems.Add(new PreflightProblem(severity, "nodes", ConfigKeys.Replicas.FullName, replicas.ToString(CultureInfo.InvariantCulture), problem,
            $"make {replicas} nodes usable (uncordon them, add nodes, or remove the taints){fewer}{preferred}"));
    }

    /// <summary>How many of the pods the usable nodes can place under the scheduling rules (at most <paramref name="replicas"/>).</summary>
    private static int Capacity(IReadOnlyList<ObservedNode> usable, int replicas, bool antiRequired, bool zoneRequired)
    {
        if (usable.Count == 0)
        {
            return 0;
        }

        if (!antiRequired)
        {
            return replicas;
        }

        if (!zoneRequired)
        {
            return Math.Min(replicas, usable.Select(n => n.Hostname).Distinct(StringComparer.Ordinal).Count());
        }

        // maxSkew 1 over every zone that has a usable node: no zone may hold more than one pod above the emptiest,
        // and a zone holds at most one pod per node.
        var perZone = usable.GroupBy(n => n.Zone!, StringComparer.Ordinal)
            .Select(g => g.Select(n => n.Hostname).Distinct(StringComparer.Ordinal).Count()).ToArray();
        var smallest = perZone.Min();
        return Math.Min(replicas, perZone.Sum(c => Math.Min(c, smallest + 1)));
    }

    /// <summary>Why a database pod cannot run on the node, or null when it can.</summary>
    private static string? Unusable(PgHaSettings settings, ObservedNode node, bool ignoreZone = false)
    {
        if (node.Unschedulable)
        {
            return "cordoned";
        }

        if (!node.Ready)
        {
            return "not Ready";
        }

        var taints = node.Taints.Where(t => t.RepelsPods).ToArray();
        if (taints.Length > 0)
        {
            return $"taint {string.Join(", ", taints.Select(t => t.ToString()))}, which the pods do not tolerate";
        }

        var resources = settings.Resources;
        if (node.AllocatableCpu is { } cpu && KubernetesQuantity.TryParse(resources.CpuRequest) is { } cpuRequest && cpu < cpuRequest)
        {
            return $"allocatable CPU {cpu.ToString("0.###", CultureInfo.InvariantCulture)} < pgha:cpuRequest {resources.CpuRequest}";
        }

        if (node.AllocatableMemory is { } memory && KubernetesQuantity.TryParse(resources.MemoryRequest) is { } memoryRequest && memory < memoryRequest)
        {
            return $"allocatable memory {Math.Floor(memory / (1024m * 1024)).ToString(CultureInfo.InvariantCulture)}Mi < pgha:memoryRequest {resources.MemoryRequest}";
        }

        if (!ignoreZone && settings.Scheduling.ZoneSpread == ZoneSpreadMode.Required && node.Zone is null)
        {
            return $"no {ZoneLabel} label";
        }

        return null;
    }

    private static void CheckCustomResourceDefinitions(PreflightReads reads, ClusterSnapshot snapshot, List<PreflightProblem> problems)
    {
        if (!snapshot.WasRead(ReadArea.CustomResourceDefinitions))
        {
            return;
        }

        foreach (var crd in reads.CustomResourceDefinitions.Where(c => !snapshot.CustomResourceDefinitions.Contains(c.Name)))
        {
            problems.Add(Error($"CustomResourceDefinition {crd.Name}", crd.Key, crd.Value,
                $"is not installed ({crd.Owner}'s CRDs): creating {crd.Creates} would fail with \"no matches for kind\" after the database exists.",
                crd.Fix));
        }
    }

    private static void CheckObjects(IReadOnlyList<ObjectRequirement> required, IReadOnlyList<ObservedObject> found, bool wasRead, List<PreflightProblem> problems)
    {
        if (!wasRead)
        {
            return;
        }

        foreach (var need in required.Where(r => !found.Any(f => f.Namespace == r.Namespace && f.Name == r.Name)))
        {
            var list = need.Kind == "ConfigMap" ? "configmaps" : "deployments";
            var fix = need.Key == ConfigKeys.AppConfig
                ? $"deploy the app that owns it first, or point the stack at the existing one: {need.Key.SetCommand("<name>")}  (and {ConfigKeys.AppNamespace.FullName} <namespace> when it lives elsewhere; kubectl -n {need.Namespace} get configmaps), or: {need.Key.RemoveCommand}"
                : $"{need.Key.SetCommand("<existing Deployment(s)>")}  (kubectl -n {need.Namespace} get {list}), or: {need.Key.RemoveCommand}";
            problems.Add(Error(need.ToString(), need.Key, need.Name,
                $"does not exist in namespace {need.Namespace}; {need.Purpose}, so the deployment would fail halfway, after the database exists.", fix));
        }
    }

    private static void CheckSecrets(PreflightReads reads, ClusterSnapshot snapshot, List<PreflightProblem> problems)
    {
        if (!snapshot.WasRead(ReadArea.Secrets))
        {
            return;
        }

        foreach (var need in reads.Secrets)
        {
            var literals = string.Join(" ", need.RequiredKeys.Select(k =>
                $"--from-literal={k}={(k == "username" && need.RequiredUsername is { } user ? user : $"<{k}>")}"));
            var create = $"kubectl -n {need.Namespace} create secret generic {need.Name} {literals}";
            var secret = snapshot.Secrets.FirstOrDefault(s => s.Namespace == need.Namespace && s.Name == need.Name);
            if (secret is null)
            {
                problems.Add(Error(need.ToString(), need.Key, need.Name,
                    $"does not exist in namespace {need.Namespace}; the {need.Role}'s credentials would be missing once the pods (or the Job) start.",
                    $"{create}  (or: pulumi config set {need.Key.FullName} <an existing Secret in {need.Namespace}>{PasswordAlternative(need.Key)})"));
                continue;
            }

            var missing = need.RequiredKeys.Where(k => !secret.Keys.Contains(k)).ToArray();
            if (missing.Length > 0)
            {
                problems.Add(Error(need.ToString(), need.Key, need.Name,
                    $"has no key {string.Join(" and no key ", missing)} (it needs {string.Join(" and ", need.RequiredKeys)}); the pods (or the Job) would fail to start.",
                    $"recreate it with those keys: {create} --dry-run=client -o yaml | kubectl apply -f -"));
                continue;
            }

            if (need.RequiredUsername is { } required && secret.Username != required)
            {
                problems.Add(Error(need.ToString(), need.Key, need.Name,
                    $"holds username \"{secret.Username}\"; {need.Why}",
                    $"set its username to {required}: {create} --dry-run=client -o yaml | kubectl apply -f -"));
            }
        }
    }

    /// <summary>For a role's Secret: the config-password alternative to an existing Secret.</summary>
    private static string PasswordAlternative(ConfigKey key)
    {
        var password = key == ConfigKeys.ExistingSuperuserSecret ? ConfigKeys.SuperuserPassword
            : key == ConfigKeys.ExistingReplicationSecret ? ConfigKeys.ReplicationPassword
            : key == ConfigKeys.ExistingAppSecret ? ConfigKeys.AppPassword
            : null;
        return password is null ? string.Empty : $"; or: pulumi config rm {key.FullName} and pulumi config set --secret {password.FullName} <password>";
    }

    private static void CheckStatefulSetAndClaims(PgHaSettings settings, ClusterSnapshot snapshot, List<PreflightProblem> problems)
    {
        var cluster = settings.Cluster;
        if (!snapshot.WasRead(ReadArea.StatefulSet))
        {
            return;
        }

        if (snapshot.StatefulSet is { } statefulSet)
        {
            if (!statefulSet.HasLabels(Labels.Common(cluster.Name, "database")))
            {
                problems.Add(Error($"StatefulSet {cluster.Namespace}/{statefulSet.Name}", ConfigKeys.ClusterName, cluster.Name,
                    "already exists and was not created by this stack: the stack would take it over, and its selector and volume claim template cannot change.",
                    UnusedClusterName));
            }

            // Otherwise it is this stack's cluster and the claims are its own.
            return;
        }

        if (!snapshot.WasRead(ReadArea.PersistentVolumeClaims) || snapshot.Claims.Count == 0)
        {
            return;
        }

        var expected = settings.Storage.StorageClassName;
        var elsewhere = snapshot.Claims.Where(c => c.StorageClassName != expected).OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        var same = snapshot.Claims.Where(c => c.StorageClassName == expected).OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        var delete = $"kubectl -n {cluster.Namespace} delete pvc {string.Join(" ", snapshot.Claims.Select(c => c.Name).Order(StringComparer.Ordinal))}";
        if (elsewhere.Length > 0)
        {
            problems.Add(Error($"PersistentVolumeClaim(s) {cluster.Namespace}/{string.Join(", ", elsewhere.Select(c => c.Name))}", ConfigKeys.StorageClassName, expected,
                $"are left from an earlier cluster named {cluster.Name} (no StatefulSet owns them) on StorageClass {string.Join(", ", elsewhere.Select(c => c.StorageClassName ?? "(none)").Distinct(StringComparer.Ordinal))}: " +
                $"the new pods would start on them, on that class and on the old data, instead of new volumes on {expected}.",
                $"save what they hold, then {delete}  (or: {UnusedClusterName})"));
        }

        if (same.Length > 0)
        {
            problems.Add(Warning($"PersistentVolumeClaim(s) {cluster.Namespace}/{string.Join(", ", same.Select(c => c.Name))}", ConfigKeys.ClusterName, cluster.Name,
                $"are left from an earlier cluster named {cluster.Name} (no StatefulSet owns them): the new pods will start on that cluster's data directory, " +
                "with its roles and passwords, instead of a fresh database. That is right only when recovering that cluster.",
                $"if that data is not wanted: save what it holds, then {delete}  (or: {UnusedClusterName})"));
        }
    }
}
