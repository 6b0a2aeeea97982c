using System.Text;
using k8s.Models;
using PgHa.Core.Naming;
using PgHa.Core.Preflight;
using PgHa.Core.Settings;
using PgHa.Core.Tests;
using PgHa.Operations.Kubernetes;
using static PgHa.Operations.Tests.FakeKubernetesApi;

namespace PgHa.Operations.Tests;

/// <summary>
/// The preflight end to end below Pulumi: the reader against the Kubernetes API (Moq, strict: reads only), then the
/// evaluator. One healthy cluster, and each failure on its own, each named with its object, key and fix.
/// </summary>
public class PreflightTests
{
    private const string Namespace = "team-db";
    private const string Password = "Pa55-in-the-secret-never-shown";

    /// <summary>A cluster where a minimal eks stack (TestConfig.Valid: cluster pg-ha in team-db, 3 replicas) can run.</summary>
    private static FakeKubernetesApi HealthyCluster()
    {
        var api = new FakeKubernetesApi();
        api.Namespaces.Add(new V1Namespace { Metadata = Meta(Namespace) });
        api.StorageClasses.Add(new V1StorageClass { Metadata = Meta("gp2"), Provisioner = "kubernetes.io/aws-ebs", AllowVolumeExpansion = true });
        api.CsiDrivers.Add(new V1CSIDriver { Metadata = Meta("ebs.csi.aws.com") });
        foreach (var zone in new[] { "a", "b", "c" })
        {
            api.Nodes.Add(Node($"node-{zone}", $"eu-central-1{zone}"));
        }

        return api;
    }

    private static V1Node Node(string name, string? zone, bool ready = true, bool cordoned = false, V1Taint[]? taints = null,
        string cpu = "3920m", string memory = "15944Mi")
    {
        var labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name };
        if (zone is not null)
        {
            labels["topology.kubernetes.io/zone"] = zone;
        }

        return new V1Node
        {
            Metadata = Meta(name, labels: labels),
            Spec = new V1NodeSpec { Unschedulable = cordoned ? true : null, Taints = taints },
            Status = new V1NodeStatus
            {
                Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
                Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new("110") },
            },
        };
    }

    private static V1Secret Secret(string name, string? username, string? password = Password, string ns = Namespace)
    {
        var data = new Dictionary<string, byte[]>();
        if (username is not null)
        {
            data["username"] = Encoding.UTF8.GetBytes(username);
        }

        if (password is not null)
        {
            data["password"] = Encoding.UTF8.GetBytes(password);
        }

        return new V1Secret { Metadata = Meta(name, ns), Data = data };
    }

    private static async Task<PreflightReport> Run(FakeKubernetesApi api, params (string Key, string? Value)[] config)
    {
        var settings = TestConfig.LoadValid(config);
        var snapshot = await new ClusterSnapshotReader(api.Client()).ReadAsync(settings, CancellationToken.None);
        return PreflightEvaluator.Evaluate(settings, snapshot);
    }

    private static PreflightProblem SingleError(PreflightReport report, string key)
    {
        var error = Assert.Single(report.Problems);
        Assert.Equal(PreflightSeverity.Error, error.Severity);
        Assert.Equal(key, error.Key);
        return error;
    }

    /// <summary>The config of a stack using every optional feature the preflight looks at.</summary>
    private static readonly (string Key, string? Value)[] EverythingOn =
    [
        ("pgha:monitoring", "true"),
        ("pgha:appConfig", "ideaforge-ai-config"),
        ("pgha:appRestartDeployments", "backend,worker"),
        ("pgha:superuserPassword", null),
        ("pgha:existingSuperuserSecret", "pg-superuser"),
        ("pgha:replicationPassword", null),
        ("pgha:existingReplicationSecret", "pg-replication"),
        ("pgha:migrationSourceHost", "old-postgres.team-db.svc"),
        ("pgha:migrationSourceSecret", "old-postgres-credentials"),
        ("pgha:migrationScaleDownDeployment", "old-postgres"),
        ("pgha:certManagerIssuer", "ClusterIssuer/letsencrypt"),
    ];

    private static FakeKubernetesApi HealthyClusterForEverything()
    {
        var api = HealthyCluster();
        api.CustomResourceDefinitions.UnionWith([PreflightReads.PodMonitorCrd, PreflightReads.PrometheusRuleCrd,
            PreflightReads.CertificateCrd, PreflightReads.ClusterIssuerCrd]);
        api.ConfigMaps.Add(new V1ConfigMap { Metadata = Meta("ideaforge-ai-config", Namespace) });
        api.Deployments.AddRange(new[] { "backend", "worker", "old-postgres" }.Select(d => new V1Deployment { Metadata = Meta(d, Namespace) }));
        api.Secrets.Add(Secret("pg-superuser", "postgres"));
        api.Secrets.Add(Secret("pg-replication", "standby"));
        api.Secrets.Add(Secret("old-postgres-credentials", "agentic_pm"));
        return api;
    }

    [Fact]
    public async Task A_healthy_cluster_passes_with_nothing_to_report_and_is_only_read()
    {
        var api = HealthyClusterForEverything();
        var report = await Run(api, EverythingOn);

        Assert.Empty(report.Problems);
        Assert.True(report.Passed);
        Assert.All(api.Requests, r => Assert.True(r.StartsWith("get ", StringComparison.Ordinal) || r.StartsWith("list ", StringComparison.Ordinal), r));
        // It looked at what the settings name, where they say.
        Assert.Contains("get namespaces team-db", api.Requests);
        Assert.Contains("get configmaps team-db/ideaforge-ai-config", api.Requests);
        Assert.Contains("get deployments team-db/worker", api.Requests);
        Assert.Contains("get secrets team-db/old-postgres-credentials", api.Requests);
        Assert.Contains("get customresourcedefinitions podmonitors.monitoring.coreos.com", api.Requests);
        Assert.Contains("list csidrivers", api.Requests);
    }

    [Fact]
    public async Task A_missing_namespace_is_an_error_while_createNamespace_is_false()
    {
        var api = HealthyCluster();
        api.Namespaces.Clear();
        var error = SingleError(await Run(api), "pgha:namespace");
        Assert.Equal("Namespace team-db", error.Object);
        Assert.Contains("kubectl create namespace team-db", error.Fix, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:createNamespace true", error.Fix, StringComparison.Ordinal);

        // The stack creates it: nothing to report.
        Assert.Empty((await Run(api, ("pgha:createNamespace", "true"))).Problems);
    }

    [Fact]
    public async Task An_existing_namespace_the_stack_did_not_create_is_an_error_while_createNamespace_is_true()
    {
        var api = HealthyCluster();
        var error = SingleError(await Run(api, ("pgha:createNamespace", "true")), "pgha:createNamespace");
        Assert.Equal("Namespace team-db", error.Object);
        Assert.Contains("pulumi destroy would then delete it", error.Problem, StringComparison.Ordinal);
        Assert.Equal("pulumi config set pgha:createNamespace false", error.Fix);

        // The one this stack created (its labels) is fine on every later run.
        api.Namespaces[0].Metadata.Labels = new Dictionary<string, string>(Labels.Common("pg-ha", "namespace"));
        Assert.Empty((await Run(api, ("pgha:createNamespace", "true"))).Problems);
    }

    [Fact]
    public async Task A_generic_platform_needs_an_existing_storage_class()
    {
        var api = HealthyCluster();
        api.StorageClasses.Add(new V1StorageClass { Metadata = Meta("standard"), Provisioner = "rancher.io/local-path" });
        var error = SingleError(await Run(api, ("pgha:platform", "generic"), ("pgha:storageClassName", "fast")), "pgha:storageClassName");
        Assert.Equal("StorageClass fast", error.Object);
        Assert.Equal("fast", error.Value);
        Assert.Contains("does not exist", error.Problem, StringComparison.Ordinal);
        // Only the class that can grow is offered.
        Assert.Equal("pulumi config set pgha:storageClassName <one of: gp2>", error.Fix);
    }

    [Fact]
    public async Task A_generic_storage_class_that_cannot_expand_is_an_error()
    {
        var api = HealthyCluster();
        api.StorageClasses.Add(new V1StorageClass { Metadata = Meta("standard"), Provisioner = "rancher.io/local-path" });
        var error = SingleError(await Run(api, ("pgha:platform", "generic"), ("pgha:storageClassName", "standard")), "pgha:storageClassName");
        Assert.Contains("allowVolumeExpansion is not true", error.Problem, StringComparison.Ordinal);
        Assert.Contains("kubectl patch storageclass standard", error.Fix, StringComparison.Ordinal);

        api.StorageClasses[^1].AllowVolumeExpansion = true;
        Assert.Empty((await Run(api, ("pgha:platform", "generic"), ("pgha:storageClassName", "standard"))).Problems);
    }

    [Fact]
    public async Task On_eks_the_ebs_csi_driver_must_be_installed()
    {
        var api = HealthyCluster();
        api.CsiDrivers.Clear();
        var error = SingleError(await Run(api), "pgha:platform");
        Assert.Equal("CSIDriver ebs.csi.aws.com", error.Object);
        Assert.Contains("aws eks create-addon", error.Fix, StringComparison.Ordinal);
        Assert.Contains("--addon-name aws-ebs-csi-driver", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_eks_a_foreign_storage_class_under_the_stacks_class_name_is_an_error()
    {
        var api = HealthyCluster();
        api.StorageClasses.Add(new V1StorageClass { Metadata = Meta("pg-ha-gp3"), Provisioner = "ebs.csi.aws.com" });
        var error = SingleError(await Run(api), "pgha:storageClassName");
        Assert.Equal("StorageClass pg-ha-gp3", error.Object);
        Assert.Contains("was not created by this stack", error.Problem, StringComparison.Ordinal);

        api.StorageClasses[^1].Metadata.Labels = new Dictionary<string, string>(Labels.Common("pg-ha", "storage"));
        Assert.Empty((await Run(api)).Problems);
    }

    [Fact]
    public async Task Fewer_usable_nodes_than_replicas_under_required_anti_affinity_names_each_unusable_node()
    {
        var api = HealthyCluster();
        api.Nodes.Add(Node("node-d", "eu-central-1a", cordoned: true));
        api.Nodes.Add(Node("node-e", "eu-central-1b", ready: false));
        api.Nodes.Add(Node("node-f", "eu-central-1c", taints: [new V1Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }]));
        api.Nodes.Add(Node("node-g", "eu-central-1c", memory: "512Mi"));
        api.Nodes.Add(Node("node-h", "eu-central-1a", taints: [new V1Taint { Key = "spot", Effect = "PreferNoSchedule" }]));
        api.Nodes.RemoveAll(n => n.Metadata.Name is "node-b" or "node-c");

        // Usable: node-a and node-h (PreferNoSchedule does not repel), both in zone a: 2 of 3.
        var error = SingleError(await Run(api), "pgha:replicas");
        Assert.Equal("nodes", error.Object);
        Assert.Equal("3", error.Value);
        Assert.Contains("room for 2: 2 usable node(s) in zone(s) eu-central-1a (2)", error.Problem, StringComparison.Ordinal);
        Assert.Contains("node-d (cordoned)", error.Problem, StringComparison.Ordinal);
        Assert.Contains("node-e (not Ready)", error.Problem, StringComparison.Ordinal);
        Assert.Contains("node-f (taint dedicated=gpu:NoSchedule, which the pods do not tolerate)", error.Problem, StringComparison.Ordinal);
        Assert.Contains("node-g (allocatable memory 512Mi < pgha:memoryRequest 1Gi)", error.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("node-h", error.Problem, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:replicas 2", error.Fix, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:antiAffinity preferred", error.Fix, StringComparison.Ordinal);

        // Without required anti-affinity the two nodes hold all three pods.
        Assert.Empty((await Run(api, ("pgha:antiAffinity", "preferred"))).Problems);
    }

    [Fact]
    public async Task Zone_spread_binds_when_one_zone_would_have_to_hold_two_more_than_another()
    {
        // Zone a: three nodes, zone b: one. Four pods one per node would be 3+1 (skew 2); the rule allows 2+1.
        var api = HealthyCluster();
        api.Nodes.Clear();
        api.Nodes.AddRange([Node("a1", "z-a"), Node("a2", "z-a"), Node("a3", "z-a"), Node("b1", "z-b")]);

        Assert.Empty((await Run(api)).Problems);
        var error = SingleError(await Run(api, ("pgha:replicas", "4")), "pgha:zoneSpread");
        Assert.Contains("room for 3", error.Problem, StringComparison.Ordinal);
        Assert.Contains("z-a (3), z-b (1)", error.Problem, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:zoneSpread preferred", error.Fix, StringComparison.Ordinal);
        Assert.Empty((await Run(api, ("pgha:replicas", "4"), ("pgha:zoneSpread", "preferred"))).Problems);
    }

    [Fact]
    public async Task Nodes_without_zone_labels_cannot_take_pods_under_required_zone_spread()
    {
        var api = HealthyCluster();
        api.Nodes.Clear();
        api.Nodes.AddRange([Node("kind-worker", null), Node("kind-worker2", null), Node("kind-worker3", null)]);

        var error = SingleError(await Run(api), "pgha:zoneSpread");
        Assert.Contains("kind-worker (no topology.kubernetes.io/zone label)", error.Problem, StringComparison.Ordinal);
        Assert.Contains("kubectl label node <node> topology.kubernetes.io/zone=<zone>", error.Fix, StringComparison.Ordinal);
        Assert.Empty((await Run(api, ("pgha:zoneSpread", "none"))).Problems);
    }

    [Fact]
    public async Task With_a_node_autoscaler_too_few_nodes_is_a_warning()
    {
        var api = HealthyCluster();
        api.Nodes.RemoveAt(2);
        api.CustomResourceDefinitions.Add(PreflightReads.KarpenterNodePoolCrd);

        var report = await Run(api);
        Assert.True(report.Passed);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal("pgha:replicas", warning.Key);
        Assert.Contains("Karpenter (nodepools.karpenter.sh) may add nodes", warning.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitoring_needs_the_prometheus_operator_crds()
    {
        var api = HealthyCluster();
        api.CustomResourceDefinitions.Add(PreflightReads.PrometheusRuleCrd);
        var error = SingleError(await Run(api, ("pgha:monitoring", "true")), "pgha:monitoring");
        Assert.Equal("CustomResourceDefinition podmonitors.monitoring.coreos.com", error.Object);
        Assert.Contains("no matches for kind", error.Problem, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:monitoring false", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ClusterIssuer/letsencrypt", PreflightReads.ClusterIssuerCrd)]
    [InlineData("Issuer/team-ca", PreflightReads.IssuerCrd)]
    public async Task A_cert_manager_issuer_needs_cert_managers_crds_for_the_certificate_and_the_issuers_kind(string issuer, string issuerCrd)
    {
        var api = HealthyCluster();
        var report = await Run(api, ("pgha:certManagerIssuer", issuer));

        Assert.Equal(
            [$"CustomResourceDefinition {PreflightReads.CertificateCrd}", $"CustomResourceDefinition {issuerCrd}"],
            report.Errors.Select(e => e.Object).Order(StringComparer.Ordinal).ToArray());
        Assert.All(report.Errors, e =>
        {
            Assert.Equal("pgha:certManagerIssuer", e.Key);
            Assert.Equal(issuer, e.Value);
            Assert.Contains("cert-manager's CRDs", e.Problem, StringComparison.Ordinal);
            Assert.Contains("pulumi config rm pgha:certManagerIssuer", e.Fix, StringComparison.Ordinal);
        });

        api.CustomResourceDefinitions.UnionWith([PreflightReads.CertificateCrd, issuerCrd]);
        Assert.Empty((await Run(api, ("pgha:certManagerIssuer", issuer))).Errors);
    }

    [Fact]
    public async Task The_app_configmap_and_every_restart_deployment_must_exist()
    {
        var api = HealthyCluster();
        api.Deployments.Add(new V1Deployment { Metadata = Meta("backend", "apps") });
        var report = await Run(api, ("pgha:appConfig", "ideaforge-ai-config"), ("pgha:appNamespace", "apps"), ("pgha:appRestartDeployments", "backend,worker"));

        Assert.Equal(2, report.Errors.Count);
        var configMap = Assert.Single(report.Errors, e => e.Key == "pgha:appConfig");
        Assert.Equal("ConfigMap apps/ideaforge-ai-config", configMap.Object);
        Assert.Contains("does not exist in namespace apps", configMap.Problem, StringComparison.Ordinal);
        Assert.Contains("pulumi config rm pgha:appConfig", configMap.Fix, StringComparison.Ordinal);
        var deployment = Assert.Single(report.Errors, e => e.Key == "pgha:appRestartDeployments");
        Assert.Equal("Deployment apps/worker", deployment.Object);
        Assert.Equal("worker", deployment.Value);
        Assert.Contains("kubectl -n apps get deployments", deployment.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_superuser_secret_must_hold_username_postgres_and_a_password()
    {
        (string, string?)[] config = [("pgha:superuserPassword", null), ("pgha:existingSuperuserSecret", "pg-superuser")];
        var api = HealthyCluster();

        var missing = SingleError(await Run(api, config), "pgha:existingSuperuserSecret");
        Assert.Equal("Secret team-db/pg-superuser", missing.Object);
        Assert.Contains("does not exist in namespace team-db", missing.Problem, StringComparison.Ordinal);
        Assert.Contains("kubectl -n team-db create secret generic pg-superuser --from-literal=username=postgres --from-literal=password=<password>",
            missing.Fix, StringComparison.Ordinal);
        Assert.Contains("pulumi config set --secret pgha:superuserPassword <password>", missing.Fix, StringComparison.Ordinal);

        api.Secrets.Add(Secret("pg-superuser", "postgres", password: null));
        var noPassword = SingleError(await Run(api, config), "pgha:existingSuperuserSecret");
        Assert.Contains("has no key password", noPassword.Problem, StringComparison.Ordinal);

        api.Secrets[0] = Secret("pg-superuser", "admin");
        var wrongUser = SingleError(await Run(api, config), "pgha:existingSuperuserSecret");
        Assert.Contains("holds username \"admin\"", wrongUser.Problem, StringComparison.Ordinal);
        Assert.Contains("peer authentication", wrongUser.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, wrongUser.ToString(), StringComparison.Ordinal);

        api.Secrets[0] = Secret("pg-superuser", "postgres");
        Assert.Empty((await Run(api, config)).Problems);
    }

    [Fact]
    public async Task The_replication_and_app_secrets_need_both_keys_but_any_username()
    {
        (string, string?)[] config =
        [
            ("pgha:replicationPassword", null), ("pgha:existingReplicationSecret", "pg-replication"),
            ("pgha:appPassword", null), ("pgha:existingAppSecret", "pg-app"),
        ];
        var api = HealthyCluster();
        api.Secrets.Add(Secret("pg-replication", "standby"));
        api.Secrets.Add(Secret("pg-app", null));

        var error = SingleError(await Run(api, config), "pgha:existingAppSecret");
        Assert.Equal("Secret team-db/pg-app", error.Object);
        Assert.Contains("has no key username", error.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_migration_needs_its_source_secret_and_the_deployment_it_scales_down()
    {
        var api = HealthyCluster();
        var report = await Run(api, ("pgha:migrationSourceHost", "old-postgres.team-db.svc"), ("pgha:migrationSourceSecret", "old-credentials"),
            ("pgha:migrationScaleDownDeployment", "old-postgres"));
        Assert.Equal(["pgha:migrationScaleDownDeployment", "pgha:migrationSourceSecret"], report.Errors.Select(e => e.Key).Order().ToArray());
        Assert.Contains(report.Errors, e => e.Object == "Secret team-db/old-credentials");
        Assert.Contains(report.Errors, e => e.Object == "Deployment team-db/old-postgres");
    }

    [Fact]
    public async Task Generic_backups_need_the_credentials_secret_with_both_aws_keys()
    {
        var api = HealthyCluster();
        api.StorageClasses.Add(new V1StorageClass { Metadata = Meta("standard"), Provisioner = "rancher.io/local-path", AllowVolumeExpansion = true });
        api.Secrets.Add(new V1Secret { Metadata = Meta("minio-credentials", Namespace), Data = new Dictionary<string, byte[]> { ["AWS_ACCESS_KEY_ID"] = "id"u8.ToArray() } });
        var error = SingleError(await Run(api, ("pgha:platform", "generic"), ("pgha:storageClassName", "standard"), ("pgha:backups", "true"),
            ("pgha:backupBucket", "pg-backups"), ("pgha:backupS3Endpoint", "http://minio.minio:9000"), ("pgha:backupS3Region", "us-east-1"),
            ("pgha:backupCredentialsSecret", "minio-credentials")),
            "pgha:backupCredentialsSecret");
        Assert.Contains("has no key AWS_SECRET_ACCESS_KEY", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_statefulset_of_the_same_name_not_created_by_the_stack_is_an_error()
    {
        var api = HealthyCluster();
        api.StatefulSets.Add(new V1StatefulSet { Metadata = Meta("pg-ha", Namespace, new Dictionary<string, string> { ["app"] = "postgres" }) });
        var error = SingleError(await Run(api), "pgha:clusterName");
        Assert.Equal("StatefulSet team-db/pg-ha", error.Object);
        Assert.Contains("pulumi config set pgha:clusterName <an unused name>", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claims_left_by_an_earlier_cluster_are_an_error_on_another_class_and_a_warning_on_the_same()
    {
        var api = HealthyCluster();
        api.Claims.Add(new V1PersistentVolumeClaim { Metadata = Meta("pgdata-pg-ha-0", Namespace), Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "gp2" } });
        api.Claims.Add(new V1PersistentVolumeClaim { Metadata = Meta("pgdata-pg-ha-1", Namespace), Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "pg-ha-gp3" } });
        // Not this cluster's data volumes.
        api.Claims.Add(new V1PersistentVolumeClaim { Metadata = Meta("pgdata-pg-ha-archive", Namespace), Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "gp2" } });
        api.Claims.Add(new V1PersistentVolumeClaim { Metadata = Meta("data-redis-0", Namespace), Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "gp2" } });

        var report = await Run(api);
        var error = Assert.Single(report.Errors);
        Assert.Equal("pgha:storageClassName", error.Key);
        Assert.Equal("PersistentVolumeClaim(s) team-db/pgdata-pg-ha-0", error.Object);
        Assert.Contains("on StorageClass gp2", error.Problem, StringComparison.Ordinal);
        Assert.Contains("kubectl -n team-db delete pvc pgdata-pg-ha-0 pgdata-pg-ha-1", error.Fix, StringComparison.Ordinal);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal("PersistentVolumeClaim(s) team-db/pgdata-pg-ha-1", warning.Object);

        // The stack's own StatefulSet owns them: a running cluster, nothing to report.
        api.StatefulSets.Add(new V1StatefulSet { Metadata = Meta("pg-ha", Namespace, new Dictionary<string, string>(Labels.Common("pg-ha", "database"))) });
        Assert.Empty((await Run(api)).Problems);
    }

    [Fact]
    public async Task An_area_the_api_refuses_is_a_warning_and_its_checks_are_skipped()
    {
        var api = HealthyCluster();
        api.Nodes.Clear();
        api.Forbidden.UnionWith(["nodes", "secrets"]);
        var report = await Run(api, ("pgha:superuserPassword", null), ("pgha:existingSuperuserSecret", "pg-superuser"));

        Assert.True(report.Passed);
        Assert.Equal(["get secret team-db/pg-superuser", "list nodes"], report.Warnings.Select(w => w.Object).Order().ToArray());
        Assert.All(report.Warnings, w => Assert.Equal("pgha:preflight", w.Key));
        Assert.All(report.Warnings, w => Assert.Equal("not checked: the Kubernetes API answered 403 Forbidden, so the checks that need it were skipped.", w.Problem));
    }

    [Fact]
    public async Task Any_other_api_failure_stops_the_read_naming_what_was_asked()
    {
        var api = HealthyCluster();
        api.Failing.Add("storageclasses");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(api));
        Assert.Contains("could not list storageclasses: 500", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once_and_the_exception_lists_them_without_secrets()
    {
        var api = HealthyClusterForEverything();
        api.Namespaces.Clear();
        api.CsiDrivers.Clear();
        api.CustomResourceDefinitions.Clear();
        api.Nodes.RemoveAt(0);
        api.Secrets[0] = Secret("pg-superuser", "admin");

        var report = await Run(api, EverythingOn);
        Assert.Equal(
            ["pgha:certManagerIssuer", "pgha:certManagerIssuer", "pgha:existingSuperuserSecret", "pgha:monitoring", "pgha:monitoring", "pgha:namespace",
                "pgha:platform", "pgha:replicas"],
            report.Errors.Select(e => e.Key).Order(StringComparer.Ordinal).ToArray());

        var e = new PreflightFailedException(report.Errors, "kubeconfig context dev-cluster");
        Assert.StartsWith("The preflight found 8 problem(s) in the target cluster (kubeconfig context dev-cluster); nothing was created:", e.Message, StringComparison.Ordinal);
        Assert.Contains("  - Namespace team-db (pgha:namespace = \"team-db\"): does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:preflight false", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.Message, StringComparison.Ordinal);
    }
}
