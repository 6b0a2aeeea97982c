using Pulumi;

namespace PgHa.Infra.Components;

/// <summary>
/// Options of a component's resources: parented to the component, and depending on what the component was given to
/// depend on (its <see cref="ResourceOptions.DependsOn"/>), recorded on each resource so the engine orders creates,
/// replacements and deletes by them too.
/// </summary>
internal static class ChildOptions
{
    public static CustomResourceOptions Of(ComponentResource component, ComponentResourceOptions? options)
    {
        var child = new CustomResourceOptions { Parent = component };
        if (options is not null)
        {
            child.DependsOn.Add(options.DependsOn);
        }

        return child;
    }
}
