using Pulumi;
using Pulumi.Kubernetes.Apps.V1;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Policy.V1;
using Pulumi.Kubernetes.Rbac.V1;
using Pulumi.Kubernetes.Storage.V1;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

[Collection(PulumiCollection.Name)]
public class StackTests
{
    [Fact]
    public async Task Eks_stack_creates_the_expected_resources_once_each()
    {
        var run = await RunAsync(ValidConfig());
        var counts = run.Registered.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.Count());
        var expected = new Dictionary<string, int>
        {
            ["pulumi:providers:kubernetes"] = 1,
            ["pgha:index:PostgresHaCluster"] = 1,
            ["pgha:index:EbsStorageClass"] = 1,
            ["pgha:index:PostgresSecrets"] = 1,
            ["pgha:index:PatroniRbac"] = 1,
            ["pgha:index:PostgresServices"] = 1,
            ["pgha:index:PostgresStatefulSet"] = 1,
            ["pgha:index:AppDatabaseJob"] = 1,
            ["pgha:index:DatabaseNetworkPolicies"] = 1,
            ["kubernetes:networking.k8s.io/v1:NetworkPolicy"] = 2,
            ["pgha:index:PostgresTls"] = 1,
            ["pgha:index:ClusterCertificates"] = 1,
            ["pgha:index:GeneratedPassword"] = 1,
            ["aws:kms/key:Key"] = 1,
            ["kubernetes:storage.k8s.io/v1:StorageClass"] = 1,
            // Superuser, replication, app and monitoring credentials; the server's and the operator's certificates.
            ["kubernetes:core/v1:Secret"] = 6,
            // The cluster's CA for clients and the Patroni configuration the pods read.
            ["kubernetes:core/v1:ConfigMap"] = 2,
            ["kubernetes:core/v1:ServiceAccount"] = 1,
            ["kubernetes:rbac.authorization.k8s.io/v1:Role"] = 1,
            ["kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"] = 1,
            ["kubernetes:core/v1:Service"] = 3,
            ["pgha:index:PatroniConfigurationMap"] = 1,
            ["kubernetes:apps/v1:StatefulSet"] = 1,
            ["kubernetes:policy/v1:PodDisruptionBudget"] = 1,
            ["kubernetes:batch/v1:Job"] = 1,
            ["pgha:index:ReplicationCheck"] = 1,
            ["pgha:index:ClusterRollout"] = 1,
        };
        Assert.Equal(expected.OrderBy(kv => kv.Key), counts.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task Every_kubernetes_resource_gets_the_explicit_provider_through_its_parent_chain()
    {
        // Only PgHaProgram passes the provider, to the top component: a resource reaches it only by being
        // parented (directly or through another component) to PostgresHaCluster.
        var run = await RunAsync(ValidConfig());
        var kubernetes = run.Registered.Where(r => r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(kubernetes);
        Assert.All(kubernetes, r => Assert.Contains("pulumi:providers:kubernetes::orders-k8s", r.Provider, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_component_registers_its_outputs()
    {
        var run = await RunAsync(ValidConfig());
        // Components only: the provider's resources (ReplicationCheck, ClusterRollout, ClusterCertificates, GeneratedPassword) are custom resources.
        var components = run.Registered.Where(r => r.Type.StartsWith("pgha:index:", StringComparison.Ordinal)
                && r.Type is not ("pgha:index:ReplicationCheck" or "pgha:index:ClusterRollout" or "pgha:index:ClusterCertificates"
                    or "pgha:index:GeneratedPassword"))
            .Select(r => r.Name).Order().ToArray();
        Assert.Equal(10, components.Length);
        Assert.Equal(components, run.OutputsRegistered.Select(u => u[(u.LastIndexOf("::", StringComparison.Ordinal) + 2)..])
            .Where(n => components.Contains(n)).Order().ToArray());
    }

    [Fact]
    public async Task StatefulSet_runs_three_spilo_pods_with_20Gi_volumes_on_the_encrypted_class()
    {
        var run = await RunAsync(ValidConfig());
        var spec = await ValueOf(run.Single<StatefulSet>().Spec);
        Assert.Equal(3, spec.Replicas);
        Assert.Equal("orders-headless", spec.ServiceName);
        Assert.Equal("Parallel", spec.PodManagementPolicy);
        var claim = Assert.Single(spec.VolumeClaimTemplates);
        Assert.Equal("pgdata", claim.Metadata.Name);
        Assert.Equal("orders-gp3", claim.Spec.StorageClassName);
        Assert.Equal("20Gi", claim.Spec.Resources.Requests["storage"]);
        Assert.Equal("Retain", spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted);
        var container = Assert.Single(spec.Template.Spec.Containers);
        Assert.Equal("ghcr.io/zalando/spilo-17:4.0-p3", container.Image);
        Assert.Equal("500m", container.Resources.Requests["cpu"]);
        Assert.Equal("2Gi", container.Resources.Limits["memory"]);
    }

    [Fact]
    public async Task Pods_never_share_a_node_and_spread_over_zones()
    {
        var spec = await ValueOf((await RunAsync(ValidConfig())).Single<StatefulSet>().Spec);
        var pod = spec.Template.Spec;
        var term = Assert.Single(pod.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("kubernetes.io/hostname", term.TopologyKey);
        Assert.Equal("orders", term.LabelSelector.MatchLabels["app.kubernetes.io/instance"]);
        Assert.True(pod.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution.IsDefaultOrEmpty);
        var spread = Assert.Single(pod.TopologySpreadConstraints);
        Assert.Equal("topology.kubernetes.io/zone", spread.TopologyKey);
        Assert.Equal("DoNotSchedule", spread.WhenUnsatisfiable);
        Assert.Equal(1, spread.MaxSkew);
    }

    [Fact]
    public async Task Preferred_modes_soften_scheduling()
    {
        var config = ValidConfig();
        config["pgha:antiAffinity"] = "preferred";
        config["pgha:zoneSpread"] = "none";
        var pod = (await ValueOf((await RunAsync(config)).Single<StatefulSet>().Spec)).Template.Spec;
        Assert.True(pod.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution.IsDefaultOrEmpty);
        Assert.Equal(100, Assert.Single(pod.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution).Weight);
        Assert.True(pod.TopologySpreadConstraints.IsDefaultOrEmpty);
    }

    [Fact]
    public async Task Probes_use_patroni_rest_api_and_readiness_rejects_lagging_replicas()
    {
        var container = (await ValueOf((await RunAsync(ValidConfig())).Single<StatefulSet>().Spec)).Template.Spec.Containers[0];
        Assert.Equal("/read-only?lag=16777216", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(8008, container.ReadinessProbe.HttpGet.Port.AsT0);
        Assert.Equal("/liveness", container.LivenessProbe.HttpGet.Path);
    }

    [Fact]
    public async Task Pods_run_as_non_root_with_no_capabilities_and_a_graceful_termination()
    {
        var pod = (await ValueOf((await RunAsync(ValidConfig())).Single<StatefulSet>().Spec)).Template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(101, pod.SecurityContext.RunAsUser);
        Assert.Equal(103, pod.SecurityContext.FsGroup);
        var container = pod.Containers[0];
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop.ToArray());
        Assert.Equal(120, pod.TerminationGracePeriodSeconds);
        Assert.Equal("orders-patroni", pod.ServiceAccountName);
    }

    [Fact]
    public async Task Pod_environment_references_secrets_and_carries_the_patroni_configuration()
    {
        var env = (await ValueOf((await RunAsync(ValidConfig())).Single<StatefulSet>().Spec)).Template.Spec.Containers[0].Env
            .ToDictionary(e => e.Name);
        Assert.Equal("orders-superuser", env["PGPASSWORD_SUPERUSER"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("password", env["PGPASSWORD_SUPERUSER"].ValueFrom.SecretKeyRef.Key);
        Assert.Equal("orders-replication", env["PGPASSWORD_STANDBY"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("primary", env["KUBERNETES_LEADER_LABEL_VALUE"].Value);
        // The Patroni configuration comes from a ConfigMap, so a setting applied live never changes the pod template.
        Assert.Equal("orders-spilo-configuration", env["SPILO_CONFIGURATION"].ValueFrom.ConfigMapKeyRef.Name);
        Assert.DoesNotContain(env.Values, e => e.Value?.Contains("Pa55word", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Services_select_the_leader_the_replicas_and_all_members()
    {
        var run = await RunAsync(ValidConfig());
        var services = new Dictionary<string, Pulumi.Kubernetes.Types.Outputs.Core.V1.ServiceSpec>();
        foreach (var service in run.Of<Service>())
        {
            services[(await ValueOf(service.Metadata)).Name] = await ValueOf(service.Spec);
        }

        Assert.Equal("primary", services["orders"].Selector["role"]);
        Assert.Equal("replica", services["orders-ro"].Selector["role"]);
        Assert.Equal("None", services["orders-headless"].ClusterIP);
        Assert.True(services["orders-headless"].PublishNotReadyAddresses);
        Assert.False(services["orders-headless"].Selector.ContainsKey("role"));
        Assert.All(services.Values, s => Assert.Equal("orders", s.Selector["app.kubernetes.io/instance"]));
        Assert.Equal(5432, services["orders"].Ports.Single().Port);
    }

    [Fact]
    public async Task Role_selected_services_skip_pulumi_await_so_the_first_up_cannot_deadlock()
    {
        var run = await RunAsync(ValidConfig());
        foreach (var service in run.Of<Service>())
        {
            var meta = await ValueOf(service.Metadata);
            var roleSelected = (await ValueOf(service.Spec)).Selector.ContainsKey("role");
            var skipsAwait = meta.Annotations is { } annotations && annotations.TryGetValue("pulumi.com/skipAwait", out var v) && v == "true";
            Assert.Equal(roleSelected, skipsAwait);
        }
    }

    [Fact]
    public async Task Patroni_role_grants_configmaps_and_pods_only()
    {
        var run = await RunAsync(ValidConfig());
        var rules = await ValueOf(run.Single<Role>().Rules);
        Assert.Equal(2, rules.Length);
        var byResource = rules.ToDictionary(r => Assert.Single(r.Resources), r => r.Verbs.Order().ToArray());
        Assert.Equal(["create", "get", "list", "patch", "update", "watch"], byResource["configmaps"]);
        Assert.Equal(["get", "list", "patch", "update", "watch"], byResource["pods"]);
        var binding = run.Single<RoleBinding>();
        Assert.Equal("orders-patroni", (await ValueOf(binding.RoleRef)).Name);
        Assert.Equal("orders-patroni", Assert.Single(await ValueOf(binding.Subjects)).Name);
    }

    [Fact]
    public async Task Disruption_budget_allows_one_member_down_at_a_time()
    {
        var spec = await ValueOf((await RunAsync(ValidConfig())).Single<PodDisruptionBudget>().Spec);
        Assert.Equal(1, spec.MaxUnavailable.AsT0);
        Assert.Equal("orders", spec.Selector.MatchLabels["app.kubernetes.io/instance"]);
    }

    [Fact]
    public async Task Storage_class_is_encrypted_gp3_with_the_stack_kms_key()
    {
        var run = await RunAsync(ValidConfig());
        var storageClass = run.Single<StorageClass>();
        var parameters = await ValueOf(storageClass.Parameters);
        Assert.Equal("ebs.csi.aws.com", await ValueOf(storageClass.Provisioner));
        Assert.Equal("gp3", parameters["type"]);
        Assert.Equal("true", parameters["encrypted"]);
        Assert.Equal("arn:aws:kms:eu-central-1:123456789012:key/orders-storage-ebs", parameters["kmsKeyId"]);
        Assert.Equal("3000", parameters["iops"]);
        Assert.Equal("WaitForFirstConsumer", await ValueOf(storageClass.VolumeBindingMode));
        Assert.True(await ValueOf(storageClass.AllowVolumeExpansion));
        Assert.Equal("Retain", await ValueOf(storageClass.ReclaimPolicy));
        var key = Assert.Single(run.OfType("aws:kms/key:Key"));
        Assert.Equal(true, key.Inputs["enableKeyRotation"]);
    }

    [Fact]
    public async Task An_existing_kms_key_is_used_instead_of_creating_one()
    {
        var config = ValidConfig();
        config["pgha:kmsKeyArn"] = "arn:aws:kms:eu-central-1:123456789012:key/existing";
        var run = await RunAsync(config);
        Assert.Empty(run.OfType("aws:kms/key:Key"));
        Assert.Equal(config["pgha:kmsKeyArn"], (await ValueOf(run.Single<StorageClass>().Parameters))["kmsKeyId"]);
    }

    [Fact]
    public async Task Generic_platform_creates_no_aws_resource_and_uses_the_existing_class()
    {
        var config = ValidConfig();
        config["pgha:platform"] = "generic";
        config["pgha:storageClassName"] = "standard";
        config.Remove("aws:region");
        var run = await RunAsync(config);
        Assert.DoesNotContain(run.Registered, r => r.Type.StartsWith("aws:", StringComparison.Ordinal));
        Assert.Empty(run.Of<StorageClass>());
        Assert.Empty(run.Invokes);
        var claim = (await ValueOf(run.Single<StatefulSet>().Spec)).VolumeClaimTemplates.Single();
        Assert.Equal("standard", claim.Spec.StorageClassName);
    }

    [Fact]
    public async Task Credential_secrets_hold_the_passwords_as_pulumi_secrets()
    {
        var run = await RunAsync(ValidConfig());
        // The credential Secrets; the TLS Secrets are checked in TlsStackTests.
        var secrets = run.Of<Secret>().Where(s => s.GetResourceName() is not ("orders-tls-secret" or "orders-tls-operator-secret")).ToArray();
        Assert.Equal(4, secrets.Length);
        foreach (var secret in secrets)
        {
            Assert.Equal("kubernetes.io/basic-auth", await ValueOf(secret.Type));
        }

        // The engine mock drops secretness of inputs; what the program hands on is checked where it is visible.
        var component = run.Single<PgHa.Infra.Components.PostgresSecrets>();
        Assert.True(await Output.IsSecretAsync(component.App.Password), "the app password must stay a Pulumi secret");
        Assert.True(await Output.IsSecretAsync(component.Superuser.Password), "the superuser password must stay a Pulumi secret");

        var app = await ValueOf(secrets.Single(s => s.GetResourceName() == "orders-app").StringData);
        Assert.Equal("agentic_pm", app["username"]);
        Assert.Equal(AppPassword, app["password"]);

        // The monitoring role's Secret, with the password our provider generated and keeps in state.
        var monitoring = secrets.Single(s => s.GetResourceName() == "orders-monitoring");
        Assert.Equal("orders-monitoring", (await ValueOf(monitoring.Metadata)).Name);
        var data = await ValueOf(monitoring.StringData);
        Assert.Equal("pgha_monitor", data["username"]);
        Assert.Equal(MockMonitoringPassword, data["password"]);
        Assert.True(await Output.IsSecretAsync(component.Monitoring.Password), "the monitoring password must stay a Pulumi secret");
    }

    [Fact]
    public async Task Existing_secrets_are_referenced_not_created()
    {
        var config = ValidConfig();
        config.Remove("pgha:appPassword");
        config["pgha:existingAppSecret"] = "team-app-creds";
        var run = await RunAsync(config);
        Assert.Equal(3, run.Registered.Count(r => r.Type == "kubernetes:core/v1:Secret" && r.Name is not ("team-app-creds-existing" or "orders-tls-secret" or "orders-tls-operator-secret")));
        Assert.Equal("team-app-creds", await ValueOf((Output<string>)run.Outputs["credentialsSecretName"]!));
        // The username comes from the existing Secret too: it is the role the Job creates.
        Assert.Equal("existing_user", await ValueOf((Output<string>)run.Outputs["username"]!));
        var connection = await ValueOf((Output<string>)run.Outputs["connectionString"]!);
        Assert.StartsWith("postgresql://existing_user:existing-Pa55word@", connection, StringComparison.Ordinal);
        Assert.True(await Output.IsSecretAsync((Output<string>)run.Outputs["connectionString"]!));
    }

    [Fact]
    public async Task Every_stack_output_is_the_cluster_components_output_of_the_same_name()
    {
        // Every feature on, so every optional output (backups, migration) is exported.
        var run = await RunAsync(StackVariants.All["everything on"]);
        var cluster = Assert.Single(run.OutputNames, o => o.Key.EndsWith("pgha:index:PostgresHaCluster::orders", StringComparison.Ordinal)).Value;
        Assert.Contains("backupBucket", run.Outputs.Keys);
        Assert.Contains("migrationReport", run.Outputs.Keys);
        Assert.All(run.Outputs.Keys, key => Assert.Contains(key, cluster));
    }

    [Fact]
    public async Task Outputs_give_apps_hosts_port_database_user_and_secret_connection_strings()
    {
        var outputs = (await RunAsync(ValidConfig())).Outputs;
        Assert.Equal(
            ["caCertificate", "caConfigMapName", "connectionString", "credentialsSecretName", "database", "namespace", "port", "readConnectionString", "readHost",
                "replicationCheck", "username", "writeHost"],
            outputs.Keys.Order().ToArray());
        Assert.Equal("orders.team-db.svc.cluster.local", await ValueOf((Output<string>)outputs["writeHost"]!));
        Assert.Equal("orders-ro.team-db.svc.cluster.local", await ValueOf((Output<string>)outputs["readHost"]!));
        Assert.Equal(5432, await ValueOf((Output<int>)outputs["port"]!));
        Assert.Equal("agentic_pm_db", await ValueOf((Output<string>)outputs["database"]!));
        Assert.Equal("agentic_pm", await ValueOf((Output<string>)outputs["username"]!));
        Assert.Equal("orders-app", await ValueOf((Output<string>)outputs["credentialsSecretName"]!));
        Assert.Equal("team-db", await ValueOf((Output<string>)outputs["namespace"]!));
        foreach (var key in new[] { "connectionString", "readConnectionString" })
        {
            var output = (Output<string>)outputs[key]!;
            Assert.True(await Output.IsSecretAsync(output), $"{key} must be secret");
            Assert.Contains(AppPassword, await ValueOf(output), StringComparison.Ordinal);
        }

        foreach (var key in outputs.Keys.Where(k => !k.EndsWith("onnectionString", StringComparison.Ordinal) && k != "replicationCheck"))
        {
            var value = outputs[key] switch
            {
                Output<string> s => await ValueOf(s),
                Output<int> i => (await ValueOf(i)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                var other => throw new InvalidOperationException($"{key} is {other?.GetType()}"),
            };
            Assert.DoesNotContain("Pa55word", value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task App_database_job_creates_the_role_through_the_read_write_service()
    {
        var run = await RunAsync(ValidConfig());
        var spec = await ValueOf(run.Single<Job>().Spec);
        var container = Assert.Single(spec.Template.Spec.Containers);
        var env = container.Env.ToDictionary(e => e.Name);
        Assert.Equal("orders.team-db.svc.cluster.local", env["PGHOST"].Value);
        Assert.Equal("orders-app", env["APP_PASSWORD"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("agentic_pm_db", env["APP_DATABASE"].Value);
        Assert.Contains(@"\getenv app_password APP_PASSWORD", container.Command[2], StringComparison.Ordinal);
        Assert.Equal("Never", spec.Template.Spec.RestartPolicy);
        Assert.True(spec.Template.Spec.SecurityContext.RunAsNonRoot);
    }

    [Fact]
    public async Task Kube_context_is_passed_to_an_explicit_provider()
    {
        var run = await RunAsync(ValidConfig());
        var provider = Assert.Single(run.OfType("pulumi:providers:kubernetes"));
        Assert.Equal("dev-cluster", provider.Inputs["context"]);
        Assert.False(provider.Inputs.ContainsKey("kubeconfig"));
        Assert.Empty(run.Invokes);
    }

    [Fact]
    public async Task Eks_cluster_name_builds_a_kubeconfig_that_asks_aws_for_tokens()
    {
        var config = ValidConfig();
        config.Remove("pgha:kubeContext");
        config["pgha:eksClusterName"] = "prod";
        var run = await RunAsync(config);
        Assert.Equal(["aws:eks/getCluster:getCluster"], run.Invokes);
        var provider = Assert.Single(run.Of<Pulumi.Kubernetes.Provider>());
        var kubeconfig = Assert.Single(run.OfType("pulumi:providers:kubernetes")).Inputs["kubeconfig"] as string;
        Assert.NotNull(kubeconfig);
        Assert.Contains("server: https://PROD.gr7.eu-central-1.eks.amazonaws.com", kubeconfig, StringComparison.Ordinal);
        Assert.Contains("get-token", kubeconfig, StringComparison.Ordinal);
        Assert.NotNull(provider);
    }

    [Fact]
    public async Task Namespace_is_created_only_when_asked()
    {
        Assert.Empty((await RunAsync(ValidConfig())).Of<Namespace>());
        var config = ValidConfig();
        config["pgha:createNamespace"] = "true";
        var ns = (await RunAsync(config)).Single<Namespace>();
        Assert.Equal("team-db", (await ValueOf(ns.Metadata)).Name);
    }

    [Fact]
    public async Task Bad_config_fails_with_every_problem_and_creates_nothing()
    {
        var config = ValidConfig();
        config["pgha:replicas"] = "1";
        config["pgha:patroniTtl"] = "10";
        config.Remove("pgha:appPassword");
        var (run, e) = await TryRunAsync(config, isPreview: true);
        Assert.NotNull(e);
        var registered = run.Registered;
        var message = e.ToString();
        Assert.Contains("pgha:replicas", message, StringComparison.Ordinal);
        Assert.Contains("pgha:patroniTtl", message, StringComparison.Ordinal);
        Assert.Contains("pulumi config set --secret pgha:appPassword", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Pa55word", message, StringComparison.Ordinal);
        Assert.Empty(registered);
    }

    [Fact]
    public async Task Replication_check_runs_after_the_statefulset_services_and_rollout_and_again_whenever_either_changes_the_cluster()
    {
        var run = await RunAsync(ValidConfig());
        var order = run.Registered.Select(r => r.Type).ToList();
        var checkAt = order.IndexOf("pgha:index:ReplicationCheck");
        Assert.True(checkAt > order.IndexOf("kubernetes:apps/v1:StatefulSet"), "the check must be registered after the StatefulSet");
        Assert.True(checkAt > order.LastIndexOf("kubernetes:core/v1:Service"), "the check must wait for every Service");
        Assert.True(checkAt > order.IndexOf("pgha:index:ClusterRollout"), "the check must wait for the rollout");

        // The StatefulSet's uid and generation (its spec changed) and the rollout's last run (settings or passwords changed).
        var check = Assert.Single(run.OfType("pgha:index:ReplicationCheck")).Inputs;
        Assert.Equal("0b1c-uid/4/2026-11-25T11:58:00Z", check["trigger"]);
        Assert.Equal("team-db", check["namespace"]);
        Assert.Equal("orders", check["statefulSetName"]);
        Assert.Equal("orders-headless", check["headlessServiceName"]);
        Assert.Equal("orders", check["readWriteServiceName"]);
        Assert.Equal("orders-ro", check["readOnlyServiceName"]);
        Assert.Equal(3, Convert.ToInt32(check["replicas"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(16777216d, Convert.ToDouble(check["maxLagBytes"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("portForward", check["connectionMode"]);
        // The monitoring role's Secret by name: the provider reads it when the check runs; no username or password input.
        Assert.Equal("orders-monitoring", check["credentialsSecretName"]);
        Assert.DoesNotContain(check.Keys, k => k is "username" or "password");
        Assert.True(checkAt > order.IndexOf("kubernetes:batch/v1:Job"), "the check must wait for the Job that creates the monitoring role");
        Assert.Equal("dev-cluster", check["kubeContext"]);
        Assert.False(check.ContainsKey("kubeconfig"));
    }

    [Fact]
    public async Task Replication_check_report_is_exported_as_the_provider_returns_it_plumbing_only()
    {
        var run = await RunAsync(ValidConfig());
        var report = await ValueOf((Output<System.Collections.Immutable.ImmutableDictionary<string, object>>)run.Outputs["replicationCheck"]!);
        Assert.Equal("orders-0", report["primary"]);
        Assert.Equal(["orders_1", "orders_2"], ((System.Collections.Immutable.ImmutableArray<string>)report["slotNames"]).ToArray());
        Assert.False(await Output.IsSecretAsync((Output<System.Collections.Immutable.ImmutableDictionary<string, object>>)run.Outputs["replicationCheck"]!));
    }

    [Fact]
    public async Task On_eks_the_check_gets_the_eks_kubeconfig_and_the_monitoring_roles_secret_even_with_an_existing_superuser_secret()
    {
        var config = ValidConfig();
        config.Remove("pgha:kubeContext");
        config["pgha:eksClusterName"] = "prod";
        config.Remove("pgha:superuserPassword");
        config["pgha:existingSuperuserSecret"] = "dba-creds";
        config["pgha:checkConnectionMode"] = "direct";
        var run = await RunAsync(config);
        var check = Assert.Single(run.OfType("pgha:index:ReplicationCheck")).Inputs;
        Assert.Contains("get-token", (string)check["kubeconfig"], StringComparison.Ordinal);
        Assert.False(check.ContainsKey("kubeContext"));
        // The superuser's Secret is the operator's; the check still connects as the monitoring role the stack made.
        Assert.Equal("orders-monitoring", check["credentialsSecretName"]);
        Assert.DoesNotContain("existing-Pa55word", System.Text.Json.JsonSerializer.Serialize(check), StringComparison.Ordinal);
        Assert.Equal("direct", check["connectionMode"]);
    }
}
