using PgHa.Core.Credentials;
using Pulumi;
using In = PgHa.Core.Credentials.GeneratedPasswordContract.InputName;
using Out = PgHa.Core.Credentials.GeneratedPasswordContract.OutputName;

namespace PgHa.Infra.Components;

/// <summary>
/// A password served by our provider plugin (infra/PgHa.Provider): generated once, kept in Pulumi state as a secret, the
/// same on every run. Declared in <see cref="GeneratedPasswordContract"/>.
/// </summary>
[ResourceType(GeneratedPasswordContract.ResourceType, null)]
public sealed class GeneratedPassword : CustomResource
{
    [Output(Out.Password)] public Output<string> Password { get; private set; } = null!;

    /// <summary>A random identifier of the current password (not secret, says nothing about it): new with every new password.</summary>
    [Output(Out.Version)] public Output<string> Version { get; private set; } = null!;

    [Output(Out.Length)] public Output<int> Length { get; private set; } = null!;

    public GeneratedPassword(string name, GeneratedPasswordArgs args, CustomResourceOptions? options = null)
        : base(GeneratedPasswordContract.ResourceType, name, args, Secret(options))
    {
    }

    /// <summary>The password is secret in state even if a provider forgot to say so.</summary>
    private static CustomResourceOptions Secret(CustomResourceOptions? options)
    {
        var merged = options ?? new CustomResourceOptions();
        merged.AdditionalSecretOutputs = [.. merged.AdditionalSecretOutputs ?? [], Out.Password];
        return merged;
    }
}

public sealed class GeneratedPasswordArgs : ResourceArgs
{
    [Input(In.Length, required: true)] public Input<int> Length { get; set; } = null!;
}
