using PgHa.Core.DayTwo;
using static PgHa.Core.Tests.DayTwoCluster;

namespace PgHa.Core.Tests;

/// <summary>Reasons the day-2 planner refuses to start: an unhealthy cluster for a disruptive plan, and a shrinking volume.</summary>
public class DayTwoRefusalTests
{
    private const string WaitFix = "wait until it is back, streaming and caught up (pgha status shows members and lag), then run pulumi up again.";

    public static TheoryData<string, ObservedCluster, string[]> UnhealthyClusters => new()
    {
        {
            "a replica lagging beyond readinessMaxLag",
            Healthy(3, leader: 0, updateRevision: NewRevision).WithMember(1, m => m with { LagBytes = 64L << 20 }),
            ["agentic-pm-db-1 is 64MB behind the leader, more than pgha:readinessMaxLag (16MB)."]
        },
        {
            "a replica not streaming",
            Healthy(3, leader: 0, updateRevision: NewRevision).WithMember(2, m => m with { State = MemberState.Stopped }),
            ["agentic-pm-db-2 is stopped, not streaming from the leader."]
        },
        {
            "a replica whose lag is unknown",
            Healthy(3, leader: 0, updateRevision: NewRevision).WithMember(2, m => m with { LagBytes = null }),
            ["agentic-pm-db-2's lag behind the leader is unknown."]
        },
        {
            "a replica on another timeline",
            Healthy(3, leader: 0, updateRevision: NewRevision).WithMember(1, m => m with { Timeline = 2 }),
            ["agentic-pm-db-1 is on timeline 2, the leader agentic-pm-db-0 on 3."]
        },
        {
            "no leader",
            Healthy(3, leader: 0, updateRevision: NewRevision).WithMember(0, m => m with { Role = PatroniRole.Replica, State = MemberState.Streaming }),
            ["no member is the leader."]
        },
        {
            "two leaders",
            Healthy(3, leader: 0, updateRevision: NewRevision).WithMember(2, m => m with { Role = PatroniRole.Leader, State = MemberState.Running }),
            ["more than one member claims to be the leader: agentic-pm-db-0, agentic-pm-db-2."]
        },
        {
            "Patroni paused",
            Healthy(3, leader: 0, updateRevision: NewRevision) with { Paused = true },
            ["Patroni is paused (maintenance mode): it would not fail over if a restart went wrong."]
        },
        {
            "a member missing",
            Healthy(3, leader: 0, updateRevision: NewRevision) is var c ? c with { Members = c.Members.Where(m => m.Ordinal != 1).ToArray() } : c,
            ["agentic-pm-db-1 is not a Patroni member (its pod is missing or Patroni does not list it)."]
        },
        {
            "the leader not running",
            Healthy(3, leader: 0, updateRevision: NewRevision).WithMember(0, m => m with { State = MemberState.Starting }),
            ["the leader agentic-pm-db-0 is starting, not running."]
        },
    };

    [Theory]
    [MemberData(nameof(UnhealthyClusters))]
    public void A_rollout_refuses_to_start_on_an_unhealthy_cluster(string scenario, ObservedCluster observed, string[] problems)
    {
        var plan = DayTwoPlanner.Plan(observed, Desired());

        Assert.True(plan.IsRefused, scenario);
        Assert.Equal(problems, plan.Refusals.Select(r => r.Problem));
        Assert.NotEmpty(plan.Steps);
    }

    [Fact]
    public void Each_health_refusal_says_how_to_go_on()
    {
        var plan = DayTwoPlanner.Plan(
            Healthy(3, leader: 0, updateRevision: NewRevision).WithMember(1, m => m with { LagBytes = 64L << 20 }), Desired());

        Assert.Equal(WaitFix, Assert.Single(plan.Refusals).Fix);
    }

    [Fact]
    public void A_lagging_departing_member_does_not_block_the_scale_down_that_removes_it()
    {
        var observed = Healthy(5, leader: 0).WithMember(4, m => m with { State = MemberState.Stopped, LagBytes = null });

        var plan = DayTwoPlanner.Plan(observed, Desired(("pgha:replicas", "3")));

        Assert.Empty(plan.Refusals);
        Assert.Equal([Scale(5, 3), DropSlot(3), DropSlot(4)], plan.Steps);
    }

    public static TheoryData<string, ObservedCluster, DesiredState, DayTwoStep[]> NotDisruptive => new()
    {
        {
            "a live Patroni setting on a cluster with a lagging replica",
            Healthy(3, leader: 0).WithMember(1, m => m with { LagBytes = 64L << 20 }), Desired(("pgha:patroniTtl", "30")),
            [new PatchPatroniConfiguration([new ConfigurationChange("/ttl", new ConfigValue("20", ConfigValueKind.Number), new ConfigValue("30", ConfigValueKind.Number), false)])]
        },
        {
            "volume growth with no leader",
            Healthy(2, leader: 0).WithMember(0, m => m with { Role = PatroniRole.Replica, State = MemberState.Stopped }), Desired(("pgha:storageSize", "40Gi"), ("pgha:replicas", "2")),
            [new GrowVolume(Claim(0), "20Gi", "40Gi"), new GrowVolume(Claim(1), "20Gi", "40Gi")]
        },
        {
            "an app password rotation with a stopped replica (needs only the leader)",
            Healthy(3, leader: 0).WithMember(2, m => m with { State = MemberState.Stopped }).Rotated(new RotatedCredential(CredentialRole.App, "agentic_pm")),
            Desired(("pgha:appConfig", "backend-config"), ("pgha:appRestartDeployments", "backend")),
            [new RotatePassword(CredentialRole.App, "agentic_pm"), new RestartDeployment("team-db", "backend")]
        },
    };

    [Theory]
    [MemberData(nameof(NotDisruptive))]
    public void A_plan_that_takes_no_member_down_runs_on_an_unhealthy_cluster(string scenario, ObservedCluster observed, DesiredState desired, DayTwoStep[] expected)
    {
        var plan = DayTwoPlanner.Plan(observed, desired);

        Assert.True(plan.Refusals.Count == 0, $"{scenario}: refused: {string.Join("; ", plan.Refusals)}");
        Assert.Equal(expected, plan.Steps);
    }

    [Fact]
    public void An_app_password_rotation_without_a_leader_is_refused()
    {
        var observed = Healthy(3, leader: 0).WithMember(0, m => m with { Role = PatroniRole.Replica, State = MemberState.Stopped })
            .Rotated(new RotatedCredential(CredentialRole.App, "agentic_pm"));

        var plan = DayTwoPlanner.Plan(observed, Desired());

        Assert.Equal(["no member is the leader."], plan.Refusals.Select(r => r.Problem));
    }

    [Fact]
    public void Nothing_to_do_on_an_unhealthy_cluster_is_not_refused()
    {
        var observed = Healthy(3, leader: 0).WithMember(0, m => m with { Role = PatroniRole.Replica, State = MemberState.Stopped });

        var plan = DayTwoPlanner.Plan(observed, Desired());

        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Refusals);
    }

    [Fact]
    public void A_smaller_storage_size_is_refused_naming_the_key_the_volumes_and_the_fix()
    {
        var observed = Healthy(3, leader: 0) with
        {
            Volumes = [new(Claim(0), 0, "40Gi", "40Gi"), new(Claim(1), 1, "40Gi", "40Gi"), new(Claim(2), 2, "20Gi", "20Gi")],
        };

        var plan = DayTwoPlanner.Plan(observed, Desired(("pgha:storageSize", "30Gi")));

        var refusal = Assert.Single(plan.Refusals);
        Assert.Equal("pgha:storageSize", refusal.ConfigKey);
        Assert.Equal("30Gi is smaller than the volumes have (pgdata-agentic-pm-db-0 40Gi, pgdata-agentic-pm-db-1 40Gi); a volume cannot shrink.", refusal.Problem);
        Assert.Equal(
            "set pgha:storageSize to 40Gi or more (pulumi config set pgha:storageSize 40Gi). Smaller volumes need a new cluster restored from a backup.",
            refusal.Fix);
        Assert.Equal(
            "pgha:storageSize: 30Gi is smaller than the volumes have (pgdata-agentic-pm-db-0 40Gi, pgdata-agentic-pm-db-1 40Gi); a volume cannot shrink. Fix: set pgha:storageSize to 40Gi or more (pulumi config set pgha:storageSize 40Gi). Smaller volumes need a new cluster restored from a backup.",
            refusal.ToString());
        // The smaller claim still grows to the size asked for; the plan as a whole does not start.
        Assert.Equal([new GrowVolume(Claim(2), "20Gi", "30Gi")], plan.Steps);
        Assert.True(plan.IsRefused);
    }

    [Fact]
    public void A_volume_the_provisioner_rounded_up_is_not_a_shrink()
    {
        var observed = Healthy(3, leader: 0) with
        {
            Volumes = [new(Claim(0), 0, "20Gi", "21Gi"), new(Claim(1), 1, "20Gi", "20Gi"), new(Claim(2), 2, "20Gi", "20Gi")],
        };

        var plan = DayTwoPlanner.Plan(observed, Desired());

        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Refusals);
    }
}
