using PgHa.Operations.Kubernetes;

namespace PgHa.Operations.Access;

/// <summary>Opens an <see cref="IClusterAccess"/> for a target, connecting with the user's kubeconfig.</summary>
public delegate IClusterAccess ClusterAccessFactory(ClusterTarget target, KubeconfigFiles kubeconfig);
