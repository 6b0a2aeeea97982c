namespace PgHa.Core.DayTwo;

/// <summary>Restart an app Deployment (pod template annotation, as <c>kubectl rollout restart</c> does) so it reads the rotated app password.</summary>
public sealed record RestartDeployment(string Namespace, string Name) : DayTwoStep
{
    public override string Description => $"restart Deployment {Name} in {Namespace}";

    public override ClusterRequirement Requires => ClusterRequirement.None;
}
