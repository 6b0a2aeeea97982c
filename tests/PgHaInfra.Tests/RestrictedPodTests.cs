using static PgHaInfra.Tests.RecordedInputs;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>
/// Every pod template the stack creates, in every stack variant, passes the Pod Security Standards' "restricted"
/// profile (written out below, as the admission controller checks it), so a pod added later cannot weaken it.
/// </summary>
[Collection(PulumiCollection.Name)]
public class RestrictedPodTests
{
    // The volume types "restricted" allows.
    private static readonly string[] AllowedVolumeSources =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    private static IEnumerable<(string Owner, object? PodSpec)> PodSpecs(StackRun run)
    {
        foreach (var r in run.Registered)
        {
            var spec = r.Type switch
            {
                "kubernetes:apps/v1:StatefulSet" or "kubernetes:apps/v1:Deployment" or "kubernetes:apps/v1:DaemonSet"
                    or "kubernetes:batch/v1:Job" => At(r.Inputs, "spec", "template", "spec"),
                "kubernetes:batch/v1:CronJob" => At(r.Inputs, "spec", "jobTemplate", "spec", "template", "spec"),
                "kubernetes:core/v1:Pod" => At(r.Inputs, "spec"),
                _ => null,
            };
            if (spec is not null)
            {
                yield return ($"{r.Type} {Name(r)}", spec);
            }
        }
    }

    /// <summary>Every rule of the restricted profile this pod spec breaks (empty: it passes).</summary>
    private static IEnumerable<string> RestrictedViolations(object? pod)
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

        var containers = List(At(pod, "containers")).Concat(List(At(pod, "initContainers"))).ToArray();
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

            if (At(context, "runAsNonRoot") is not true && At(podContext, "runAsNonRoot") is not true)
            {
                yield return $"container {name}: runAsNonRoot is not true (neither on it nor on the pod)";
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

    [Theory]
    [MemberData(nameof(StackVariants.Names), MemberType = typeof(StackVariants))]
    public async Task Every_pod_template_passes_the_restricted_profile(string variant)
    {
        var run = await RunAsync(StackVariants.All[variant]);
        var pods = PodSpecs(run).ToArray();
        Assert.NotEmpty(pods);
        var problems = pods.SelectMany(p => RestrictedViolations(p.PodSpec).Select(v => $"{p.Owner}: {v}")).ToArray();
        Assert.True(problems.Length == 0, $"{variant}:\n  " + string.Join("\n  ", problems));
    }
}
