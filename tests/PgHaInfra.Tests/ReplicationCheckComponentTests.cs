using System.Reflection;
using PgHa.Core.Verification;
using PgHa.Infra.Components;
using Pulumi;

namespace PgHaInfra.Tests;

/// <summary>The program's ReplicationCheck resource sends and reads exactly what the provider declares (ReplicationCheckContract).</summary>
public class ReplicationCheckComponentTests
{
    [Fact]
    public void The_resource_type_inputs_and_outputs_are_the_contracts()
    {
        Assert.Equal(ReplicationCheckContract.ResourceType, typeof(ReplicationCheck).GetCustomAttribute<ResourceTypeAttribute>()!.Type);

        // InputAttribute keeps its name and required flag to itself: read them as they were written, (name, required, json).
        var inputs = typeof(ReplicationCheckArgs).GetProperties()
            .SelectMany(p => p.GetCustomAttributesData().Where(a => a.AttributeType == typeof(InputAttribute)))
            .Select(a => ((string)a.ConstructorArguments[0].Value!, (bool)a.ConstructorArguments[1].Value!))
            .Order();
        Assert.Equal(ReplicationCheckContract.Inputs.Select(i => (i.Name, i.Required)).Order(), inputs);

        var outputs = typeof(ReplicationCheck).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(p => p.GetCustomAttribute<OutputAttribute>())
            .OfType<OutputAttribute>()
            .Select(a => a.Name!)
            .Order(StringComparer.Ordinal);
        Assert.Equal(ReplicationCheckContract.Outputs.Select(o => o.Name).Order(StringComparer.Ordinal), outputs);
    }
}
