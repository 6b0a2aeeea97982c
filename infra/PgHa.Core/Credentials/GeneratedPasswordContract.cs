using PgHa.Core.Verification;

namespace PgHa.Core.Credentials;

/// <summary>
/// A password the pgha provider generates once and keeps in Pulumi state (a secret output), declared once: its type
/// token and every input and output. The stack uses it for the monitoring role, whose password nobody has to choose or
/// store: the committed stacks need no new config secret, and every run hands the same password to the role's Secret.
/// A new password comes only with a replacement (a changed length, or <c>pulumi up --replace</c> of the resource); its
/// <see cref="OutputName.Version"/> (not secret, derived from nothing secret) changes with it, so what must act on a new
/// password (the bootstrap Job that sets it on the role) can depend on that without holding the password.
/// </summary>
public static class GeneratedPasswordContract
{
    public const string ResourceType = "pgha:index:GeneratedPassword";

    /// <summary>The names of the inputs (constants, so the resource class's attributes can use them).</summary>
    public static class InputName
    {
        public const string Length = "length";
    }

    /// <summary>The names of the outputs.</summary>
    public static class OutputName
    {
        public const string Password = "password";
        public const string Version = "version";
        public const string Length = "length";
    }

    public static IReadOnlyList<ContractProperty> Inputs { get; } =
    [
        new(InputName.Length, ContractValueType.Integer, "Characters of the password (letters and digits); a change generates a new one.",
            Required: true, Minimum: 24, Maximum: 128),
    ];

    public static IReadOnlyList<ContractProperty> Outputs { get; } =
    [
        new(OutputName.Password, ContractValueType.String, "The password.", Required: true, Secret: true),
        new(OutputName.Version, ContractValueType.String,
            "A random identifier of this password (not derived from it), new with every new password.", Required: true),
        new(OutputName.Length, ContractValueType.Integer, "The length the password was generated with.", Required: true),
    ];

    public static ContractProperty Input(string name) =>
        Inputs.FirstOrDefault(i => i.Name == name) ?? throw new ArgumentException($"GeneratedPassword has no input {name}", nameof(name));
}
