using PgHa.Core.DayTwo;
using static PgHa.Core.Tests.DayTwoCluster;

namespace PgHa.Core.Tests;

/// <summary>What pulumi preview prints of a day-2 plan: each step's description, and the plan in a few lines.</summary>
public class DayTwoPreviewTests
{
    public static TheoryData<DayTwoStep, string> Descriptions => new()
    {
        { Recreate(2), "restart agentic-pm-db-2 (new pod template)" },
        { Recreate(1, RestartReason.PodTemplate, RestartReason.ReplicationPassword), "restart agentic-pm-db-1 (new pod template, new replication password)" },
        { SwitchTo(0, 1), "switchover agentic-pm-db-0 -> agentic-pm-db-1" },
        { SwitchTo(0, 2, sync: true), "switchover agentic-pm-db-0 -> agentic-pm-db-2 (the synchronous standby)" },
        {
            new PatchPatroniConfiguration([new("/ttl", new("20", ConfigValueKind.Number), new("30", ConfigValueKind.Number), false)]),
            "patch Patroni config: ttl 20 -> 30 (live)"
        },
        {
            new PatchPatroniConfiguration([
                new("/failsafe_mode", null, new("true", ConfigValueKind.Boolean), false),
                new("/postgresql/parameters/shared_buffers", new("128MB", ConfigValueKind.String), new("1GB", ConfigValueKind.String), true)]),
            "patch Patroni config: failsafe_mode (unset) -> true, shared_buffers 128MB -> 1GB (needs a restart) (live)"
        },
        { RestartPg(2, "shared_buffers"), "restart PostgreSQL on agentic-pm-db-2 (pending restart: shared_buffers)" },
        { RestartPg(2), "restart PostgreSQL on agentic-pm-db-2 (pending restart)" },
        { new GrowVolume(Claim(1), "20Gi", "40Gi"), "grow volume pgdata-agentic-pm-db-1 20Gi -> 40Gi" },
        { new RotatePassword(CredentialRole.Replication, "replicator"), "ALTER ROLE replicator password (SCRAM verifier)" },
        { DropSlot(4), "drop slot agentic_pm_db_4 of departed member agentic-pm-db-4" },
        { new RestartDeployment("team-db", "backend"), "restart Deployment backend in team-db" },
        { Await(2), "wait until agentic-pm-db-2 is back and streaming, at most 16MB behind" },
        { Scale(5, 3), "scale StatefulSet agentic-pm-db 5 -> 3" },
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void Each_step_says_what_it_does(DayTwoStep step, string description)
    {
        Assert.Equal(description, step.Description);
        Assert.Equal(description, step.ToString());
    }

    public static TheoryData<string, ObservedCluster, DesiredState, string[]> Summaries => new()
    {
        { "no change", Healthy(3, leader: 0), Desired(), [] },
        {
            "template change, primary at 0",
            Healthy(3, leader: 0, updateRevision: NewRevision), Desired(),
            ["restart agentic-pm-db-2, -1; switchover to -1; restart -0"]
        },
        { "Patroni ttl", Healthy(3, leader: 0), Desired(("pgha:patroniTtl", "30")), ["Patroni ttl 20 -> 30 live"] },
        { "volumes", Healthy(3, leader: 0), Desired(("pgha:storageSize", "40Gi")), ["volumes 20Gi -> 40Gi in place"] },
        {
            "pending restart, primary at 1",
            Healthy(3, leader: 1).WithMember(0, m => m with { PendingRestart = true }).WithMember(1, m => m with { PendingRestart = true }).WithMember(2, m => m with { PendingRestart = true }),
            Desired(),
            ["restart PostgreSQL on agentic-pm-db-2, -0; switchover to -0; restart PostgreSQL on -1"]
        },
        {
            "combined",
            Healthy(3, leader: 2, updateRevision: NewRevision).Rotated(new RotatedCredential(CredentialRole.Replication, "replicator")),
            Desired(("pgha:patroniTtl", "30"), ("pgha:storageSize", "40Gi")),
            [
                "volumes 20Gi -> 40Gi in place",
                "Patroni ttl 20 -> 30 live",
                "ALTER ROLE replicator password",
                "restart agentic-pm-db-1, -0; switchover to -0; restart -2",
            ]
        },
        {
            "scale-down with the primary departing",
            Healthy(5, leader: 4), Desired(("pgha:replicas", "3")),
            ["switchover to agentic-pm-db-0", "scale agentic-pm-db 5 -> 3; drop slots of agentic-pm-db-3, -4"]
        },
        { "scale-up", Healthy(3, leader: 0), Desired(("pgha:replicas", "5")), ["scale agentic-pm-db 3 -> 5"] },
        {
            "app password",
            Healthy(3, leader: 0).Rotated(new RotatedCredential(CredentialRole.App, "agentic_pm")),
            Desired(("pgha:appConfig", "backend-config"), ("pgha:appRestartDeployments", "backend,worker")),
            ["ALTER ROLE agentic_pm password", "restart Deployment backend, worker"]
        },
        {
            "a smaller volume",
            Healthy(3, leader: 0), Desired(("pgha:storageSize", "10Gi")),
            ["refused: pgha:storageSize: 10Gi is smaller than the volumes have (pgdata-agentic-pm-db-0 20Gi, pgdata-agentic-pm-db-1 20Gi, pgdata-agentic-pm-db-2 20Gi); a volume cannot shrink. Fix: set pgha:storageSize to 20Gi or more (pulumi config set pgha:storageSize 20Gi). Smaller volumes need a new cluster restored from a backup."]
        },
    };

    [Theory]
    [MemberData(nameof(Summaries))]
    public void The_plan_reads_in_a_few_lines(string scenario, ObservedCluster observed, DesiredState desired, string[] lines)
    {
        Assert.True(lines.SequenceEqual(DayTwoPlanner.Plan(observed, desired).Summary), $"{scenario}: {string.Join(" | ", DayTwoPlanner.Plan(observed, desired).Summary)}");
    }
}
