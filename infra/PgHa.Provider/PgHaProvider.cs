using Pulumi.Experimental.Provider;

namespace PgHa.Provider;

/// <summary>
/// The pgha provider plugin: the package schema of all its resources, and each request handed to the resource it
/// concerns (<see cref="ReplicationCheckProvider"/>, <see cref="ClusterRolloutProvider"/>, <see cref="ClusterCertificatesProvider"/>,
/// <see cref="GeneratedPasswordProvider"/>).
/// </summary>
public sealed class PgHaProvider(ReplicationCheckProvider replicationCheck, ClusterRolloutProvider rollout, ClusterCertificatesProvider certificates,
    GeneratedPasswordProvider passwords) : Pulumi.Experimental.Provider.Provider
{
    public override Task<GetSchemaResponse> GetSchema(GetSchemaRequest request, CancellationToken ct) =>
        Task.FromResult(new GetSchemaResponse { Schema = PackageSchema.Json(ReplicationCheckProvider.Version) });

    public override Task<CheckResponse> Check(CheckRequest request, CancellationToken ct) => For(request.Type).Check(request, ct);

    public override Task<DiffResponse> Diff(DiffRequest request, CancellationToken ct) => For(request.Type).Diff(request, ct);

    public override Task<CreateResponse> Create(CreateRequest request, CancellationToken ct) => For(request.Type).Create(request, ct);

    public override Task<UpdateResponse> Update(UpdateRequest request, CancellationToken ct) => For(request.Type).Update(request, ct);

    public override Task<ReadResponse> Read(ReadRequest request, CancellationToken ct) => For(request.Type).Read(request, ct);

    public override Task Delete(DeleteRequest request, CancellationToken ct) => For(request.Type).Delete(request, ct);

    private Pulumi.Experimental.Provider.Provider For(string type) => type switch
    {
        ReplicationCheckProvider.ResourceType => replicationCheck,
        ClusterRolloutProvider.ResourceType => rollout,
        ClusterCertificatesProvider.ResourceType => certificates,
        GeneratedPasswordProvider.ResourceType => passwords,
        _ => throw new NotSupportedException(
            $"the pgha provider serves {ReplicationCheckProvider.ResourceType}, {ClusterRolloutProvider.ResourceType}, " +
            $"{ClusterCertificatesProvider.ResourceType} and {GeneratedPasswordProvider.ResourceType}; it was asked for {type}"),
    };
}
