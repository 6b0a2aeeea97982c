namespace PgHa.Core.DayTwo;

/// <summary>
/// A plan in a few lines for <c>pulumi preview</c>: one line per kind of change, the rollout as one line
/// ("restart agentic-pm-db-2, -1; switchover to -1; restart -0"), waits left implicit, refusals last.
/// </summary>
internal static class PlanSummary
{
    private enum Part
    {
        Volumes,
        Configuration,
        Passwords,
        Rollout,
        Scale,
        Deployments,
    }

    public static IReadOnlyList<string> Lines(DayTwoPlan plan)
    {
        var lines = new List<string>();
        var group = new List<DayTwoStep>();
        Part? current = null;
        foreach (var step in plan.Steps)
        {
            // A wait belongs to whatever it waits for.
            var part = step is AwaitMember ? current ?? Part.Rollout : PartOf(step);
            if (part != current && group.Count > 0)
            {
                lines.Add(Render(current!.Value, group));
                group.Clear();
            }

            current = part;
            group.Add(step);
        }

        if (group.Count > 0)
        {
            lines.Add(Render(current!.Value, group));
        }

        lines.AddRange(plan.Refusals.Select(r => "refused: " + r));
        return lines;
    }

    private static Part PartOf(DayTwoStep step) => step switch
    {
        GrowVolume => Part.Volumes,
        PatchPatroniConfiguration => Part.Configuration,
        RotatePassword => Part.Passwords,
        RecreatePod or RestartPostgres or Switchover or AwaitMember => Part.Rollout,
        ScaleStatefulSet or DropReplicationSlot => Part.Scale,
        RestartDeployment => Part.Deployments,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "a step the summary does not know"),
    };

    private static string Render(Part part, List<DayTwoStep> steps)
    {
        switch (part)
        {
            case Part.Volumes:
                var grows = steps.OfType<GrowVolume>().ToArray();
                return $"volumes {string.Join(", ", grows.Select(g => g.From).Distinct())} -> {string.Join(", ", grows.Select(g => g.To).Distinct())} in place";
            case Part.Configuration:
                return "Patroni " + string.Join(", ", steps.OfType<PatchPatroniConfiguration>().SelectMany(p => p.Changes).Select(c => c.Description)) + " live";
            case Part.Passwords:
                var roles = steps.OfType<RotatePassword>().Select(r => r.Username).ToArray();
                return $"ALTER ROLE {string.Join(", ", roles)} password{(roles.Length > 1 ? "s" : string.Empty)}";
            case Part.Deployments:
                return "restart Deployment " + string.Join(", ", steps.OfType<RestartDeployment>().Select(d => d.Name));
            default:
                return Segments(steps);
        }
    }

    /// <summary>Rollout and scale steps as "; "-separated segments, runs of the same action joined by ", ".</summary>
    private static string Segments(List<DayTwoStep> steps)
    {
        var pods = new PodAbbreviation();
        var segments = new List<(string Action, List<string> Pods)>();
        void Add(string action, string pod)
        {
            var name = pods.Name(pod);
            if (segments.Count > 0 && segments[^1].Action == action)
            {
                segments[^1].Pods.Add(name);
            }
            else
            {
                segments.Add((action, [name]));
            }
        }

        foreach (var step in steps)
        {
            switch (step)
            {
                case RecreatePod r:
                    Add("restart", r.Pod);
                    break;
                case RestartPostgres r:
                    Add("restart PostgreSQL on", r.Pod);
                    break;
                case Switchover s:
                    Add("switchover to", s.To);
                    break;
                case ScaleStatefulSet s:
                    segments.Add(($"scale {s.StatefulSet} {s.From} -> {s.To}", []));
                    break;
                case DropReplicationSlot d:
                    Add("drop slots of", d.DepartedMember);
                    break;
            }
        }

        return string.Join("; ", segments.Select(s => s.Pods.Count == 0 ? s.Action : s.Action + " " + string.Join(", ", s.Pods)));
    }

    /// <summary>The first pod of a line by its full name, the others of the same StatefulSet by their ordinal (-1).</summary>
    private sealed class PodAbbreviation
    {
        private string? prefix;

        public string Name(string pod)
        {
            var dash = pod.LastIndexOf('-');
            if (dash <= 0 || !pod[(dash + 1)..].All(char.IsAsciiDigit))
            {
                return pod;
            }

            var podPrefix = pod[..dash];
            if (prefix is null)
            {
                prefix = podPrefix;
                return pod;
            }

            return podPrefix == prefix ? pod[dash..] : pod;
        }
    }
}
