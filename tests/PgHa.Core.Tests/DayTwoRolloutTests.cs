using PgHa.Core.DayTwo;
using static PgHa.Core.Tests.DayTwoCluster;

namespace PgHa.Core.Tests;

/// <summary>The day-2 planner's rollouts: replicas first, one switchover to an updated replica, then the old primary.</summary>
public class DayTwoRolloutTests
{
    private const string New = NewRevision;

    public static TheoryData<string, ObservedCluster, DesiredState, DayTwoStep[]> Rollouts => new()
    {
        {
            "primary at 0 of 3",
            Healthy(3, leader: 0, updateRevision: New), Desired(),
            [.. Roll(2), .. Roll(1), SwitchTo(0, 1), .. Roll(0)]
        },
        {
            "primary at 1 of 3",
            Healthy(3, leader: 1, updateRevision: New), Desired(),
            [.. Roll(2), .. Roll(0), SwitchTo(1, 0), .. Roll(1)]
        },
        {
            "primary at 2 of 3",
            Healthy(3, leader: 2, updateRevision: New), Desired(),
            [.. Roll(1), .. Roll(0), SwitchTo(2, 0), .. Roll(2)]
        },
        {
            "preview of a template change (revision not known yet), primary at 0 of 3",
            Healthy(3, leader: 0), Desired(podTemplateChanges: true),
            [.. Roll(2), .. Roll(1), SwitchTo(0, 1), .. Roll(0)]
        },
        {
            "primary at 4 of 5 scaling down to 3 with a new template: survivors roll, switchover, then the scale-down",
            Healthy(5, leader: 4, updateRevision: New), Desired(("pgha:replicas", "3")),
            [.. Roll(2), .. Roll(1), .. Roll(0), SwitchTo(4, 0), Scale(5, 3), DropSlot(3), DropSlot(4)]
        },
        {
            "primary at 4 of 5 scaling down to 3, same template: switchover first",
            Healthy(5, leader: 4), Desired(("pgha:replicas", "3")),
            [SwitchTo(4, 0), Scale(5, 3), DropSlot(3), DropSlot(4)]
        },
        {
            "primary at 1 of 5 scaling down to 3: no switchover",
            Healthy(5, leader: 1), Desired(("pgha:replicas", "3")),
            [Scale(5, 3), DropSlot(3), DropSlot(4)]
        },
        {
            "primary at 1 of 5 scaling down to 3 with a new template: departing members are never restarted",
            Healthy(5, leader: 1, updateRevision: New), Desired(("pgha:replicas", "3")),
            [Scale(5, 3), DropSlot(3), DropSlot(4), .. Roll(2), .. Roll(0), SwitchTo(1, 0), .. Roll(1)]
        },
        {
            "a member already updated is skipped (resume)",
            Healthy(3, leader: 0, updateRevision: New).WithMember(2, m => m with { Revision = New }), Desired(),
            [.. Roll(1), SwitchTo(0, 1), .. Roll(0)]
        },
        {
            "every replica updated, the primary not (resume after a stop before the switchover)",
            Healthy(3, leader: 0, updateRevision: New).WithMember(1, m => m with { Revision = New }).WithMember(2, m => m with { Revision = New }),
            Desired(),
            [SwitchTo(0, 1), .. Roll(0)]
        },
        {
            "every member updated: nothing to do",
            Healthy(3, leader: 0, revision: New, updateRevision: New), Desired(),
            []
        },
        {
            "the switchover goes to the replica least behind",
            Healthy(3, leader: 0, updateRevision: New).WithMember(1, m => m with { LagBytes = 8L << 20 }), Desired(),
            [.. Roll(2), .. Roll(1), SwitchTo(0, 2), .. Roll(0)]
        },
        {
            "sync standby at 2, primary at 1: the switchover goes to the synchronous standby",
            Healthy(3, leader: 1, syncStandby: 2, updateRevision: New, config: Config(("synchronous_mode", "true"))),
            Desired(("pgha:synchronousMode", "on")),
            [.. Roll(2), .. Roll(0), SwitchTo(1, 2, sync: true), .. Roll(1)]
        },
        {
            "sync standby at 2, primary at 0: the switchover goes to the synchronous standby",
            Healthy(3, leader: 0, syncStandby: 2, updateRevision: New, config: Config(("synchronous_mode", "true"))),
            Desired(("pgha:synchronousMode", "on")),
            [.. Roll(2), .. Roll(1), SwitchTo(0, 2, sync: true), .. Roll(0)]
        },
        {
            "synchronous mode turned on by this plan: applied live first, then the switchover takes Patroni's synchronous standby",
            Healthy(3, leader: 0, updateRevision: New), Desired(("pgha:synchronousMode", "on")),
            [
                new PatchPatroniConfiguration([new ConfigurationChange("/synchronous_mode", new ConfigValue("false", ConfigValueKind.Boolean), new ConfigValue("true", ConfigValueKind.Boolean), false)]),
                .. Roll(2), .. Roll(1), SwitchTo(0, 1, sync: true), .. Roll(0),
            ]
        },
        {
            "synchronous mode turned off while the synchronous standby departs: the patch comes first, so any survivor takes over",
            Healthy(5, leader: 4, syncStandby: 3, config: Config(("synchronous_mode", "true"))), Desired(("pgha:replicas", "3")),
            [
                new PatchPatroniConfiguration([new ConfigurationChange("/synchronous_mode", new ConfigValue("true", ConfigValueKind.Boolean), new ConfigValue("false", ConfigValueKind.Boolean), false)]),
                SwitchTo(4, 0), Scale(5, 3), DropSlot(3), DropSlot(4),
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Rollouts))]
    public void Plans_the_rollout_in_the_database_order(string scenario, ObservedCluster observed, DesiredState desired, DayTwoStep[] expected)
    {
        var plan = DayTwoPlanner.Plan(observed, desired);

        Assert.True(plan.Refusals.Count == 0, $"{scenario}: refused: {string.Join("; ", plan.Refusals)}");
        Assert.Equal(expected, plan.Steps);
        Assert.True(plan.LeaderChanges <= 1, scenario);
    }

    [Fact]
    public void Synchronous_standby_on_a_departing_ordinal_is_refused_with_the_fix()
    {
        var observed = Healthy(5, leader: 4, syncStandby: 3, config: Config(("synchronous_mode", "true")));

        var plan = DayTwoPlanner.Plan(observed, Desired(("pgha:replicas", "3"), ("pgha:synchronousMode", "on")));

        var refusal = Assert.Single(plan.Refusals);
        Assert.Equal("pgha:replicas", refusal.ConfigKey);
        Assert.Equal(
            "the primary agentic-pm-db-4 must switch over before the scale-down to 3, and in synchronous mode Patroni switches over only to the synchronous standby, agentic-pm-db-3, which the scale-down removes.",
            refusal.Problem);
        Assert.Equal("set pgha:synchronousMode to off for the scale-down (applied live, no restart), run pulumi up, then set it back.", refusal.Fix);
        Assert.DoesNotContain(plan.Steps, s => s is Switchover);
    }

    [Fact]
    public void At_execution_the_candidate_must_already_run_the_update_revision()
    {
        // Replica 1 came back on the old revision (e.g. the StatefulSet had not been updated yet); 2 is updated.
        var cluster = Healthy(3, leader: 0, updateRevision: New).WithMember(2, m => m with { Revision = New });

        var atExecution = SwitchoverCandidate.Choose(cluster, Desired(), atExecution: true);
        var atPlanning = SwitchoverCandidate.Choose(cluster, Desired(), atExecution: false);

        Assert.Equal(Pod(2), atExecution.Candidate?.Pod);
        Assert.Equal(Pod(1), atPlanning.Candidate?.Pod);
    }

    [Fact]
    public void At_execution_the_synchronous_standby_of_that_moment_is_taken()
    {
        // Planned to 2; restarting 2 moved Patroni's synchronous standby to 1, which the rollout has updated.
        var cluster = Healthy(3, leader: 0, syncStandby: 1, revision: New, updateRevision: New, config: Config(("synchronous_mode", "true")))
            .WithMember(0, m => m with { Revision = OldRevision });

        var choice = SwitchoverCandidate.Choose(cluster, Desired(("pgha:synchronousMode", "on")), atExecution: true);

        Assert.Equal(Pod(1), choice.Candidate?.Pod);
        Assert.True(choice.ToSynchronousStandby);
    }

    [Fact]
    public void At_execution_an_outdated_synchronous_standby_is_refused()
    {
        var cluster = Healthy(3, leader: 0, syncStandby: 1, updateRevision: New, config: Config(("synchronous_mode", "true")));

        var choice = SwitchoverCandidate.Choose(cluster, Desired(("pgha:synchronousMode", "on")), atExecution: true);

        Assert.Null(choice.Candidate);
        Assert.Equal(
            $"in synchronous mode Patroni switches over only to the synchronous standby, and agentic-pm-db-1 cannot take over (unhealthy, more than 1MB behind, or not on revision {New}).",
            choice.Refusal?.Problem);
    }

    [Fact]
    public void At_execution_the_candidate_must_be_within_maximum_lag_on_failover()
    {
        // Both updated and within pgha:readinessMaxLag (16MB), both beyond maximum_lag_on_failover (1MB), which Patroni
        // enforces on a switchover candidate: fine for a plan, not for the switchover itself.
        var behind = Healthy(3, leader: 0, revision: New, updateRevision: New)
            .WithMember(1, m => m with { LagBytes = 4L << 20 })
            .WithMember(2, m => m with { LagBytes = 2L << 20 });

        Assert.Equal(Pod(2), SwitchoverCandidate.Choose(behind, Desired(), atExecution: false).Candidate?.Pod);
        var atExecution = SwitchoverCandidate.Choose(behind, Desired(), atExecution: true);
        Assert.Null(atExecution.Candidate);
        Assert.Equal(
            "no replica can take over from agentic-pm-db-0: none is streaming, at most 1MB behind, on the update revision and on an ordinal below pgha:replicas (3).",
            atExecution.Refusal?.Problem);

        var caughtUp = behind.WithMember(1, m => m with { LagBytes = 512 << 10 });
        Assert.Equal(Pod(1), SwitchoverCandidate.Choose(caughtUp, Desired(), atExecution: true).Candidate?.Pod);
    }

    [Fact]
    public void A_departing_primary_that_is_not_running_is_refused()
    {
        var observed = Healthy(5, leader: 4).WithMember(4, m => m with { State = MemberState.Starting });

        var plan = DayTwoPlanner.Plan(observed, Desired(("pgha:replicas", "3")));

        Assert.Equal(["the leader agentic-pm-db-4 is starting, not running."], plan.Refusals.Select(r => r.Problem));
    }
}
