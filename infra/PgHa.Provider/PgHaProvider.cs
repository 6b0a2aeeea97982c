using Pulumi.Experimental.Provider;

namespace PgHa.Provider;

/// <summary>The pgha provider plugin: its two resources, each served by its own class, chosen by the request's type.</summary>
public sealed class PgHaProvider(ReplicationCheckProvider check, ClusterRolloutProvider rollout) : Pulumi.Experimental.Provider.Provider
{
    public override Task<GetSchemaResponse> GetSchema(GetSchemaRequest request, CancellationToken ct) =>
        Task.FromResult(new GetSchemaResponse { Schema = PgHaSchema.Json(ReplicationCheckProvider.Version) });

    public override Task<CheckResponse> Check(CheckRequest request, CancellationToken ct) =>
        IsRollout(request.Type) ? rollout.Check(request, ct) : check.Check(request, ct);

    public override Task<DiffResponse> Diff(DiffRequest request, CancellationToken ct) =>
        IsRollout(request.Type) ? rollout.Diff(request, ct) : check.Diff(request, ct);

    public override Task<CreateResponse> Create(CreateRequest request, CancellationToken ct) =>
        IsRollout(request.Type) ? rollout.Create(request, ct) : check.Create(request, ct);

    public override Task<UpdateResponse> Update(UpdateRequest request, CancellationToken ct) =>
        IsRollout(request.Type) ? rollout.Update(request, ct) : check.Update(request, ct);

    public override Task<ReadResponse> Read(ReadRequest request, CancellationToken ct) =>
        IsRollout(request.Type) ? rollout.Read(request, ct) : check.Read(request, ct);

    public override Task Delete(DeleteRequest request, CancellationToken ct) =>
        IsRollout(request.Type) ? rollout.Delete(request, ct) : check.Delete(request, ct);

    private static bool IsRollout(string type) => type == ClusterRolloutProvider.ResourceType;
}
