using PgHa.Core.DayTwo;
using static PgHa.Core.Tests.DayTwoCluster;

namespace PgHa.Core.Tests;

/// <summary>The day-2 planner for each kind of change, and changes combined.</summary>
public class DayTwoChangeTests
{
    private static readonly RestartReason Template = RestartReason.PodTemplate;
    private static readonly RestartReason Replication = RestartReason.ReplicationPassword;

    private static ConfigValue Number(string text) => new(text, ConfigValueKind.Number);

    private static ConfigValue Text(string text) => new(text, ConfigValueKind.String);

    private static ConfigValue Bool(bool value) => new(value ? "true" : "false", ConfigValueKind.Boolean);

    private static GrowVolume Grow(int ordinal, string from = "20Gi", string to = "40Gi") => new(Claim(ordinal), from, to);

    public static TheoryData<string, ObservedCluster, DesiredState, DayTwoStep[]> Changes => new()
    {
        {
            "no change: an empty plan",
            Healthy(3, leader: 1), Desired(),
            []
        },
        {
            "Patroni ttl: applied live, no restart",
            Healthy(3, leader: 1), Desired(("pgha:patroniTtl", "30")),
            [new PatchPatroniConfiguration([new("/ttl", Number("20"), Number("30"), false)])]
        },
        {
            "strict synchronous mode: two keys live, no restart",
            Healthy(3, leader: 1), Desired(("pgha:synchronousMode", "strict")),
            [new PatchPatroniConfiguration([new("/synchronous_mode", Bool(false), Bool(true), false), new("/synchronous_mode_strict", Bool(false), Bool(true), false)])]
        },
        {
            "a reloadable PostgreSQL parameter: live, no restart",
            Healthy(3, leader: 1), Desired(("pgha:maxSlotWalKeepSize", "2GB")),
            [new PatchPatroniConfiguration([new("/postgresql/parameters/max_slot_wal_keep_size", Text("4GB"), Text("2GB"), false)])]
        },
        {
            "a key the running cluster lacks is set",
            Healthy(3, leader: 1, config: Config(("failsafe_mode", "null"))), Desired(),
            [new PatchPatroniConfiguration([new("/failsafe_mode", null, Bool(true), false)])]
        },
        {
            "a parameter that needs a restart: patched live, then restarted replicas first, one switchover, old primary",
            Healthy(3, leader: 1, config: Config(("postgresql/parameters/max_wal_senders", "5"))), Desired(),
            [
                new PatchPatroniConfiguration([new("/postgresql/parameters/max_wal_senders", Number("5"), Number("10"), true)]),
                RestartPg(2, "max_wal_senders"), Await(2), RestartPg(0, "max_wal_senders"), Await(0), SwitchTo(1, 0), RestartPg(1, "max_wal_senders"), Await(1),
            ]
        },
        {
            "members Patroni flags pending_restart",
            Healthy(3, leader: 1)
                .WithMember(0, m => m with { PendingRestart = true, PendingRestartParameters = ["shared_buffers"] })
                .WithMember(1, m => m with { PendingRestart = true, PendingRestartParameters = ["shared_buffers"] })
                .WithMember(2, m => m with { PendingRestart = true, PendingRestartParameters = ["shared_buffers"] }),
            Desired(),
            [RestartPg(2, "shared_buffers"), Await(2), RestartPg(0, "shared_buffers"), Await(0), SwitchTo(1, 0), RestartPg(1, "shared_buffers"), Await(1)]
        },
        {
            "only the primary pending a restart (a resumed restart): one switchover, then the old primary",
            Healthy(3, leader: 0).WithMember(0, m => m with { PendingRestart = true }), Desired(),
            [SwitchTo(0, 1), RestartPg(0), Await(0)]
        },
        {
            "a larger storage size: every claim grows in place, nothing restarts",
            Healthy(3, leader: 1), Desired(("pgha:storageSize", "40Gi")),
            [Grow(0), Grow(1), Grow(2)]
        },
        {
            "a resize a stopped run left under way is awaited again",
            Healthy(3, leader: 1) with { Volumes = [new(Claim(0), 0, "40Gi", "40Gi"), new(Claim(1), 1, "40Gi", "20Gi"), new(Claim(2), 2, "40Gi", "40Gi")] },
            Desired(("pgha:storageSize", "40Gi")),
            [Grow(1)]
        },
        {
            "a claim a former scale-down left behind is not grown while its ordinal is gone",
            Healthy(3, leader: 1) is var c1 ? c1 with { Volumes = [.. c1.Volumes, new(Claim(3), 3, "20Gi", "20Gi")] } : c1,
            Desired(("pgha:storageSize", "40Gi")),
            [Grow(0), Grow(1), Grow(2)]
        },
        {
            "scaling up: the claim left behind grows before its ordinal comes back, new members are awaited",
            Healthy(3, leader: 1) is var c2 ? c2 with { Volumes = [.. c2.Volumes, new(Claim(3), 3, "20Gi", "20Gi")] } : c2,
            Desired(("pgha:storageSize", "40Gi"), ("pgha:replicas", "5")),
            [Grow(0), Grow(1), Grow(2), Grow(3), Scale(3, 5), Await(3), Await(4)]
        },
        {
            "replication password: ALTER ROLE first, then every member restarts in rollout order",
            Healthy(3, leader: 0).Rotated(new RotatedCredential(CredentialRole.Replication, "replicator")), Desired(),
            [new RotatePassword(CredentialRole.Replication, "replicator"), .. Roll(2, Replication), .. Roll(1, Replication), SwitchTo(0, 1), .. Roll(0, Replication)]
        },
        {
            "app password: ALTER ROLE, then the app's Deployments; the members keep running",
            Healthy(3, leader: 0).Rotated(new RotatedCredential(CredentialRole.App, "agentic_pm")),
            Desired(("pgha:appConfig", "backend-config"), ("pgha:appRestartDeployments", "backend,worker")),
            [new RotatePassword(CredentialRole.App, "agentic_pm"), new RestartDeployment("team-db", "backend"), new RestartDeployment("team-db", "worker")]
        },
        {
            "combined: template + Patroni ttl + volume + replication password, primary at 2: still one switchover",
            Healthy(3, leader: 2, updateRevision: NewRevision).Rotated(new RotatedCredential(CredentialRole.Replication, "replicator")),
            Desired(("pgha:patroniTtl", "30"), ("pgha:storageSize", "40Gi")),
            [
                Grow(0), Grow(1), Grow(2),
                new PatchPatroniConfiguration([new("/ttl", Number("20"), Number("30"), false)]),
                new RotatePassword(CredentialRole.Replication, "replicator"),
                .. Roll(1, Template, Replication), .. Roll(0, Template, Replication), SwitchTo(2, 0), .. Roll(2, Template, Replication),
            ]
        },
        {
            "combined: a new template and a parameter needing a restart: the pod restart covers both",
            Healthy(3, leader: 0, updateRevision: NewRevision, config: Config(("postgresql/parameters/max_wal_senders", "5"))), Desired(),
            [
                new PatchPatroniConfiguration([new("/postgresql/parameters/max_wal_senders", Number("5"), Number("10"), true)]),
                .. Roll(2), .. Roll(1), SwitchTo(0, 1), .. Roll(0),
            ]
        },
        {
            "combined: every password, app Deployments, scale-down with the primary departing: one switchover, after the survivors",
            Healthy(5, leader: 3).Rotated(
                new RotatedCredential(CredentialRole.App, "agentic_pm"),
                new RotatedCredential(CredentialRole.Replication, "replicator"),
                new RotatedCredential(CredentialRole.Superuser, "postgres")),
            Desired(("pgha:replicas", "3"), ("pgha:appConfig", "backend-config"), ("pgha:appRestartDeployments", "backend")),
            [
                new RotatePassword(CredentialRole.Superuser, "postgres"),
                new RotatePassword(CredentialRole.Replication, "replicator"),
                new RotatePassword(CredentialRole.App, "agentic_pm"),
                .. Roll(2, RestartReason.SuperuserPassword, Replication), .. Roll(1, RestartReason.SuperuserPassword, Replication), .. Roll(0, RestartReason.SuperuserPassword, Replication),
                SwitchTo(3, 0), Scale(5, 3), DropSlot(3), DropSlot(4),
                new RestartDeployment("team-db", "backend"),
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Plans_each_change_in_order(string scenario, ObservedCluster observed, DesiredState desired, DayTwoStep[] expected)
    {
        var plan = DayTwoPlanner.Plan(observed, desired);

        Assert.True(plan.Refusals.Count == 0, $"{scenario}: refused: {string.Join("; ", plan.Refusals)}");
        Assert.Equal(expected, plan.Steps);
        Assert.True(plan.LeaderChanges <= 1, scenario);
    }

    [Fact]
    public void Keys_the_stack_does_not_manage_are_left_alone()
    {
        // DefaultConfigJson carries check_timeline and work_mem, which the settings do not name.
        var changes = DayTwoPlanner.ConfigurationChanges(Config(("ttl", "25")), Desired().Configuration);

        Assert.Equal(["ttl"], changes.Select(c => c.Name));
    }
}
