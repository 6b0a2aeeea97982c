using PgHa.Core.Naming;
using PgHa.Core.Settings;
using PgHa.Infra.Components;
using Pulumi;

namespace PgHaInfra.Tests;

/// <summary>The components' arguments: what each one uses, never the whole settings, names beside them, or dependencies.</summary>
public class ComponentArgsTests
{
    [Fact]
    public void Component_arguments_carry_only_parts_of_the_settings_and_no_names_or_dependencies()
    {
        // Every component's arguments record except the whole cluster's (which is built from the whole settings).
        var records = typeof(PostgresHaCluster).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(PostgresHaCluster).Namespace && t.Name.EndsWith("Args", StringComparison.Ordinal)
                && !typeof(ResourceArgs).IsAssignableFrom(t) && t != typeof(PostgresHaClusterArgs))
            .ToArray();
        Assert.True(records.Length >= 11, $"found only {string.Join(", ", records.Select(r => r.Name))}");
        Assert.All(records, record => Assert.All(record.GetProperties(), property =>
        {
            var type = property.PropertyType;
            Assert.False(type == typeof(PgHaSettings), $"{record.Name}.{property.Name} is the whole settings");
            // Names derive from the cluster's name inside the component.
            Assert.False(type == typeof(ResourceNames), $"{record.Name}.{property.Name} passes names the component derives");
            // Dependencies go through the resource options (DependsOn), not the arguments.
            Assert.False(typeof(Resource).IsAssignableFrom(type) || typeof(IEnumerable<Resource>).IsAssignableFrom(type),
                $"{record.Name}.{property.Name} passes resources to depend on");
        }));
    }
}
