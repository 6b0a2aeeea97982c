namespace PgHaInfra.Tests;

/// <summary>Pulumi tests share process-wide state (the deployment, PULUMI_CONFIG): they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PulumiCollection
{
    public const string Name = "pulumi";
}
