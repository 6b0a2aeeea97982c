// One loopback cluster at a time (2 cores), and the tests that set KUBECONFIG or PATH never overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
