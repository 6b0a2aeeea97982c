using static PgHaInfra.Tests.RecordedInputs;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>
/// Every pod template the stack creates, in every stack variant, passes the Pod Security Standards' "restricted"
/// profile (written out below, as the admission controller checks it, baseline rules included), so a pod added later
/// cannot weaken it; and a namespace the stack creates has Pod Security admission enforce that profile.
/// </summary>
[Collection(PulumiCollection.Name)]
public class RestrictedPodTests
{
    // The volume types "restricted" allows.
    private static readonly string[] AllowedVolumeSources =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    /// <summary>Every pod template in the graph, whatever kind of object holds it (metadata and spec).</summary>
    private static IEnumerable<(string Owner, object? Template)> PodTemplates(StackRun run)
    {
        foreach (var r in run.Registered)
        {
            var template = r.Type switch
            {
                "kubernetes:apps/v1:StatefulSet" or "kubernetes:apps/v1:Deployment" or "kubernetes:apps/v1:DaemonSet"
                    or "kubernetes:apps/v1:ReplicaSet" or "kubernetes:core/v1:ReplicationController"
                    or "kubernetes:batch/v1:Job" => At(r.Inputs, "spec", "template"),
                "kubernetes:batch/v1:CronJob" => At(r.Inputs, "spec", "jobTemplate", "spec", "template"),
                "kubernetes:core/v1:PodTemplate" => At(r.Inputs, "template"),
                "kubernetes:core/v1:Pod" => r.Inputs,
                _ => null,
            };
            if (template is not null)
            {
                yield return ($"{r.Type} {Name(r)}", template);
            }
            else
            {
                Assert.False(r.Type.StartsWith("kubernetes:", StringComparison.Ordinal) && At(r.Inputs, "spec", "template", "spec") is not null,
                    $"{r.Type} {Name(r)} holds a pod template this test does not know how to find");
            }
        }
    }

    private static readonly string[] AllowedSeLinuxTypes = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

    /// <summary>Every rule of the restricted profile this pod template breaks (empty: it passes).</summary>
    private static IEnumerable<string> RestrictedViolations(object? template)
    {
        var pod = At(template, "spec");
        foreach (var (key, value) in Strings(At(template, "metadata", "annotations")))
        {
            // Baseline, AppArmor: the (pre-1.30) annotation may only name the runtime's default or a local profile.
            if (key.StartsWith("container.apparmor.security.beta.kubernetes.io/", StringComparison.Ordinal)
                && value != "runtime/default" && !value.StartsWith("localhost/", StringComparison.Ordinal))
            {
                yield return $"annotation {key}: {value}";
            }
        }

        foreach (var v in SpecViolations(pod))
        {
            yield return v;
        }
    }

    /// <summary>Every rule of the restricted profile this pod spec breaks.</summary>
    private static IEnumerable<string> SpecViolations(object? pod)
    {
        foreach (var flag in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            if (At(pod, flag) is true)
            {
                yield return $"{flag} is true";
            }
        }

        foreach (var volume in List(At(pod, "volumes")))
        {
            var source = Map(volume)!.Keys.Where(k => k != "name").ToArray();
            if (!source.All(AllowedVolumeSources.Contains))
            {
                yield return $"volume {At(volume, "name")} uses {string.Join(", ", source)}";
            }
        }

        var podContext = At(pod, "securityContext");
        if (At(podContext, "runAsUser") is { } uid && Convert.ToInt64(uid, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            yield return "the pod runs as user 0";
        }

        if (List(At(podContext, "sysctls")).Any())
        {
            yield return "the pod sets sysctls";
        }

        if (At(podContext, "seccompProfile", "type") is { } podSeccomp && podSeccomp is not ("RuntimeDefault" or "Localhost"))
        {
            yield return $"the pod's seccompProfile is {podSeccomp}";
        }

        foreach (var v in SharedContextViolations("the pod", podContext))
        {
            yield return v;
        }

        var containers = List(At(pod, "containers")).Concat(List(At(pod, "initContainers"))).Concat(List(At(pod, "ephemeralContainers"))).ToArray();
        if (containers.Length == 0)
        {
            yield return "no containers";
        }

        foreach (var container in containers)
        {
            var name = At(container, "name");
            var context = At(container, "securityContext");
            if (At(context, "allowPrivilegeEscalation") is not false)
            {
                yield return $"container {name}: allowPrivilegeEscalation is not false";
            }

            if (At(context, "privileged") is true)
            {
                yield return $"container {name}: privileged";
            }

            if (!List(At(context, "capabilities", "drop")).Contains("ALL"))
            {
                yield return $"container {name}: capabilities do not drop ALL";
            }

            if (List(At(context, "capabilities", "add")).Any(c => (string)c != "NET_BIND_SERVICE"))
            {
                yield return $"container {name}: adds capabilities other than NET_BIND_SERVICE";
            }

            // The container's own setting wins over the pod's: false there breaks the rule whatever the pod says.
            if ((At(context, "runAsNonRoot") ?? At(podContext, "runAsNonRoot")) is not true)
            {
                yield return $"container {name}: runAsNonRoot is not true (on it, or on the pod when it says nothing)";
            }

            if (At(context, "procMount") is { } procMount && (string)procMount != "Default")
            {
                yield return $"container {name}: procMount {procMount}";
            }

            foreach (var v in SharedContextViolations($"container {name}", context))
            {
                yield return v;
            }

            if (At(context, "runAsUser") is { } containerUid && Convert.ToInt64(containerUid, System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                yield return $"container {name}: runs as user 0";
            }

            var seccomp = (At(context, "seccompProfile", "type") ?? At(podContext, "seccompProfile", "type")) as string;
            if (seccomp is not ("RuntimeDefault" or "Localhost"))
            {
                yield return $"container {name}: seccompProfile is {seccomp ?? "unset"} (RuntimeDefault or Localhost required)";
            }

            if (List(At(container, "ports")).Any(p => At(p, "hostPort") is not null))
            {
                yield return $"container {name}: uses a hostPort";
            }
        }
    }

    /// <summary>Rules that apply alike to the pod's and to each container's securityContext (baseline ones included).</summary>
    private static IEnumerable<string> SharedContextViolations(string who, object? context)
    {
        if (At(context, "windowsOptions", "hostProcess") is true)
        {
            yield return $"{who}: windowsOptions.hostProcess is true";
        }

        if (At(context, "appArmorProfile", "type") is { } appArmor && appArmor is not ("RuntimeDefault" or "Localhost"))
        {
            yield return $"{who}: appArmorProfile is {appArmor}";
        }

        if (At(context, "seLinuxOptions") is { } seLinux)
        {
            if (At(seLinux, "type") is string type && type.Length > 0 && !AllowedSeLinuxTypes.Contains(type))
            {
                yield return $"{who}: seLinuxOptions.type {type}";
            }

            foreach (var field in new[] { "user", "role" })
            {
                if (At(seLinux, field) is string value && value.Length > 0)
                {
                    yield return $"{who}: seLinuxOptions.{field} is set";
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(StackVariants.Names), MemberType = typeof(StackVariants))]
    public async Task Every_pod_template_passes_the_restricted_profile(string variant)
    {
        var run = await RunAsync(StackVariants.All[variant]);
        var pods = PodTemplates(run).ToArray();
        Assert.NotEmpty(pods);
        var problems = pods.SelectMany(p => RestrictedViolations(p.Template).Select(v => $"{p.Owner}: {v}")).ToArray();
        Assert.True(problems.Length == 0, $"{variant}:\n  " + string.Join("\n  ", problems));
    }

    [Theory]
    [MemberData(nameof(StackVariants.Names), MemberType = typeof(StackVariants))]
    public async Task A_namespace_the_stack_creates_enforces_the_restricted_profile(string variant)
    {
        var config = StackVariants.All[variant];
        var namespaces = (await RunAsync(config)).Registered.Where(r => r.Type == "kubernetes:core/v1:Namespace").ToArray();
        if (!config.TryGetValue("pgha:createNamespace", out var create) || create != "true")
        {
            Assert.Empty(namespaces);
            return;
        }

        var labels = Strings(At(Assert.Single(namespaces).Inputs, "metadata", "labels"));
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            Assert.Equal("restricted", labels.GetValueOrDefault($"pod-security.kubernetes.io/{mode}"));
            Assert.Matches(@"^(latest|v1\.\d+)$", labels.GetValueOrDefault($"pod-security.kubernetes.io/{mode}-version") ?? "");
        }
    }
}
