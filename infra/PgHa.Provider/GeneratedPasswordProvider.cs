using System.Collections.Immutable;
using PgHa.Core.Credentials;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using Input = PgHa.Core.Credentials.GeneratedPasswordContract.InputName;
using Output = PgHa.Core.Credentials.GeneratedPasswordContract.OutputName;

namespace PgHa.Provider;

/// <summary>
/// <c>pgha:index:GeneratedPassword</c>: a password generated on create and kept in Pulumi state as a secret output. A
/// refresh keeps it; a diff asks for a replacement only when the length changes (or the user replaces it), so every
/// other run of the stack gets the same password. Nothing is created outside the state.
/// </summary>
public sealed class GeneratedPasswordProvider(Action<string>? log = null) : Pulumi.Experimental.Provider.Provider
{
    public const string ResourceType = GeneratedPasswordContract.ResourceType;

    public override Task<GetSchemaResponse> GetSchema(GetSchemaRequest request, CancellationToken ct) =>
        Task.FromResult(new GetSchemaResponse { Schema = PackageSchema.Json(ReplicationCheckProvider.Version) });

    public override Task<CheckResponse> Check(CheckRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        if (request.NewInputs.Values.Any(v => v.IsComputed))
        {
            return Task.FromResult(new CheckResponse { Inputs = request.NewInputs, Failures = [] });
        }

        var (_, failures) = Parse(request.NewInputs);
        return Task.FromResult(new CheckResponse { Inputs = request.NewInputs, Failures = failures });
    }

    public override Task<DiffResponse> Diff(DiffRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        if (request.NewInputs.Values.Any(v => v.IsComputed))
        {
            return Task.FromResult(new DiffResponse { Changes = true, Diffs = [Input.Length], Replaces = [Input.Length] });
        }

        var length = Length(request.NewInputs);
        var generated = request.OldOutputs.TryGetValue(Output.Length, out var old) && old.TryGetNumber(out var oldLength) ? (int?)oldLength : null;
        var hasPassword = request.OldOutputs.TryGetValue(Output.Password, out var password) && password.TryGetString(out var text) && text.Length > 0;
        return Task.FromResult(generated == length && hasPassword
            ? new DiffResponse { Changes = false, Diffs = [], Replaces = [] }
            // A new password is a new identity for the role: shown as a replacement.
            : new DiffResponse { Changes = true, Diffs = [Input.Length], Replaces = [Input.Length], DeleteBeforeReplace = false });
    }

    public override Task<CreateResponse> Create(CreateRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        var length = Length(request.Inputs);
        if (request.Preview)
        {
            return Task.FromResult(new CreateResponse
            {
                Id = request.Name,
                Outputs = new Dictionary<string, PropertyValue>
                {
                    [Output.Password] = PropertyValue.Computed,
                    [Output.Version] = PropertyValue.Computed,
                    [Output.Length] = new(length),
                },
            });
        }

        log?.Invoke($"{request.Name}: generated a password of {length} characters");
        return Task.FromResult(new CreateResponse { Id = request.Name, Outputs = Outputs(PasswordGenerator.Generate(length), PasswordGenerator.NewVersion(), length) });
    }

    /// <summary>Never reached with a change (every change replaces); keeps the password.</summary>
    public override Task<UpdateResponse> Update(UpdateRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        return Task.FromResult(new UpdateResponse { Outputs = request.OldOutputs });
    }

    /// <summary>`pulumi refresh`: the password lives only in state, so it is what the state says.</summary>
    public override Task<ReadResponse> Read(ReadRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        return Task.FromResult(new ReadResponse { Id = request.Id, Inputs = request.Inputs, Outputs = request.Outputs });
    }

    public override Task Delete(DeleteRequest request, CancellationToken ct) => Task.CompletedTask;

    internal static IDictionary<string, PropertyValue> Outputs(string password, string version, int length) => new Dictionary<string, PropertyValue>
    {
        [Output.Password] = new(password) { IsSecret = true },
        [Output.Version] = new(version),
        [Output.Length] = new(length),
    };

    private static (int? Length, IList<CheckFailure> Failures) Parse(ImmutableDictionary<string, PropertyValue> inputs)
    {
        var input = GeneratedPasswordContract.Input(Input.Length);
        if (inputs.TryGetValue(Input.Length, out var value) && value.TryGetNumber(out var number) && number == Math.Floor(number)
            && number >= input.Minimum!.Value && number <= input.Maximum!.Value)
        {
            return ((int)number, []);
        }

        return (null, [new CheckFailure(Input.Length, input.Rule())]);
    }

    private static int Length(ImmutableDictionary<string, PropertyValue> inputs)
    {
        var (length, failures) = Parse(inputs);
        return length ?? throw new InvalidOperationException("invalid GeneratedPassword inputs: " + string.Join("; ", failures.Select(f => f.Reason)));
    }

    private static void EnsureType(string type)
    {
        if (type != ResourceType)
        {
            throw new NotSupportedException($"this part of the pgha provider serves {ResourceType}; it was asked for {type}");
        }
    }
}
