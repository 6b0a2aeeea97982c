using System.Text.Json;
using PgHa.Core.Kubernetes;
using static PgHaInfra.Tests.RecordedInputs;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>
/// Kubernetes evaluates selectors across objects; the engine mock does not. These tests evaluate them over the
/// recorded resource graph of every stack variant: each selector that means "the members" (Patroni's member
/// selector, the StatefulSet's, the PDB's, each Service's, the PodMonitor's, the scheduling terms') selects the
/// StatefulSet's pod template and no other pod template the stack creates.
/// </summary>
[Collection(PulumiCollection.Name)]
public class SelectorGraphTests
{
    /// <summary>A pod template the stack creates, with the kind of object that owns it.</summary>
    internal sealed record PodTemplate(string Owner, string Kind, IReadOnlyDictionary<string, string> Labels);

    /// <summary>A selector of pods, and where it was found.</summary>
    private sealed record PodSelector(string Where, IReadOnlyDictionary<string, string> MatchLabels);

    private static readonly string[] RoleValues = ["primary", "replica"];

    internal static IEnumerable<PodTemplate> PodTemplates(StackRun run)
    {
        foreach (var r in run.Registered)
        {
            object? template = r.Type switch
            {
                "kubernetes:apps/v1:StatefulSet" or "kubernetes:apps/v1:Deployment" or "kubernetes:apps/v1:DaemonSet"
                    or "kubernetes:apps/v1:ReplicaSet" or "kubernetes:batch/v1:Job" => At(r.Inputs, "spec", "template"),
                "kubernetes:batch/v1:CronJob" => At(r.Inputs, "spec", "jobTemplate", "spec", "template"),
                "kubernetes:core/v1:Pod" => r.Inputs,
                _ => null,
            };
            if (template is not null)
            {
                yield return new PodTemplate($"{r.Type} {Name(r)}", r.Type, Strings(At(template, "metadata", "labels")));
            }
        }
    }

    private static IEnumerable<PodSelector> MemberSelectors(StackRun run)
    {
        foreach (var r in run.Registered)
        {
            var name = $"{r.Type} {Name(r)}";
            switch (r.Type)
            {
                case "kubernetes:apps/v1:StatefulSet":
                    yield return new PodSelector($"{name} spec.selector", Strings(At(r.Inputs, "spec", "selector", "matchLabels")));
                    var pod = At(r.Inputs, "spec", "template", "spec");
                    foreach (var term in List(At(pod, "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution"))
                                 .Concat(List(At(pod, "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution"))
                                     .Select(w => At(w, "podAffinityTerm"))))
                    {
                        yield return new PodSelector($"{name} anti-affinity", Strings(At(term, "labelSelector", "matchLabels")));
                    }

                    foreach (var spread in List(At(pod, "topologySpreadConstraints")))
                    {
                        yield return new PodSelector($"{name} topology spread", Strings(At(spread, "labelSelector", "matchLabels")));
                    }

                    yield return new PodSelector($"{name} Patroni member selector (KUBERNETES_LABELS + scope label)", PatroniMemberSelector(pod));
                    break;
                case "kubernetes:policy/v1:PodDisruptionBudget":
                case "kubernetes:monitoring.coreos.com/v1:PodMonitor":
                    yield return new PodSelector($"{name} spec.selector", Strings(At(r.Inputs, "spec", "selector", "matchLabels")));
                    break;
                case "kubernetes:core/v1:Service":
                    yield return new PodSelector($"{name} spec.selector", Strings(At(r.Inputs, "spec", "selector")));
                    break;
            }
        }
    }

    /// <summary>What Patroni's Kubernetes store lists as members: KUBERNETES_LABELS plus KUBERNETES_SCOPE_LABEL=SCOPE, as the pod gets them.</summary>
    private static IReadOnlyDictionary<string, string> PatroniMemberSelector(object? podSpec)
    {
        var postgres = List(At(podSpec, "containers")).Single(c => (string?)At(c, "name") == "postgres");
        var env = List(At(postgres, "env")).ToDictionary(e => (string)At(e, "name")!, e => At(e, "value") as string);
        var selector = JsonSerializer.Deserialize<Dictionary<string, string>>(env["KUBERNETES_LABELS"]!)!;
        selector[env["KUBERNETES_SCOPE_LABEL"]!] = env["SCOPE"]!;
        return selector;
    }

    /// <summary>The labels a member can carry at run time: its template's, plus the role Patroni writes.</summary>
    internal static IEnumerable<IReadOnlyDictionary<string, string>> RuntimeLabels(PodTemplate member, string roleKey) =>
        RoleValues.Select(role => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(member.Labels) { [roleKey] = role })
            .Prepend(member.Labels);

    [Theory]
    [MemberData(nameof(StackVariants.Names), MemberType = typeof(StackVariants))]
    public async Task Every_member_selector_selects_the_statefulset_pods_and_no_other_pod(string variant)
    {
        var run = await RunAsync(StackVariants.All[variant]);
        var templates = PodTemplates(run).ToArray();
        var member = Assert.Single(templates, t => t.Kind == "kubernetes:apps/v1:StatefulSet");
        var others = templates.Where(t => t != member).ToArray();
        var selectors = MemberSelectors(run).ToArray();
        Assert.Contains(selectors, s => s.Where.Contains("Patroni", StringComparison.Ordinal));
        Assert.Contains(selectors, s => s.Where.Contains("PodDisruptionBudget", StringComparison.Ordinal));
        Assert.Equal(3, selectors.Count(s => s.Where.StartsWith("kubernetes:core/v1:Service", StringComparison.Ordinal)));

        var problems = new List<string>();
        foreach (var selector in selectors)
        {
            if (!RuntimeLabels(member, PgHa.Core.Naming.Labels.RoleKey).Any(labels => LabelSelector.Matches(selector.MatchLabels, labels)))
            {
                problems.Add($"{selector.Where} does not select the StatefulSet's pods");
            }

            problems.AddRange(others.Where(o => LabelSelector.Matches(selector.MatchLabels, o.Labels))
                .Select(o => $"{selector.Where} also selects the pods of {o.Owner}"));
        }

        Assert.True(problems.Count == 0, $"{variant}:\n  " + string.Join("\n  ", problems));
    }

    [Theory]
    [MemberData(nameof(StackVariants.Names), MemberType = typeof(StackVariants))]
    public async Task Pods_outside_the_statefulset_still_name_the_cluster_and_their_purpose(string variant)
    {
        var run = await RunAsync(StackVariants.All[variant]);
        foreach (var pod in PodTemplates(run).Where(t => t.Kind != "kubernetes:apps/v1:StatefulSet"))
        {
            Assert.Equal("orders", pod.Labels[PgHa.Core.Naming.Labels.Instance]);
            Assert.False(string.IsNullOrEmpty(pod.Labels.GetValueOrDefault(PgHa.Core.Naming.Labels.Component)), $"{pod.Owner} has no component label");
        }
    }

    [Theory]
    [MemberData(nameof(StackVariants.Names), MemberType = typeof(StackVariants))]
    public async Task A_max_unavailable_budget_covers_only_pods_of_a_scalable_controller(string variant)
    {
        // Kubernetes computes maxUnavailable only for controllers with a scale subresource; for any other pod
        // the budget cannot be computed and blocks every eviction (node drains, cluster upgrades).
        string[] scalable = ["kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:ReplicaSet"];
        var run = await RunAsync(StackVariants.All[variant]);
        var templates = PodTemplates(run).ToArray();
        foreach (var budget in run.OfType("kubernetes:policy/v1:PodDisruptionBudget").Where(b => At(b.Inputs, "spec", "maxUnavailable") is not null))
        {
            var selector = Strings(At(budget.Inputs, "spec", "selector", "matchLabels"));
            var covered = templates.Where(t => LabelSelector.Matches(selector, t.Labels)).ToArray();
            Assert.NotEmpty(covered);
            Assert.All(covered, t => Assert.Contains(t.Kind, scalable));
        }
    }
}
