// One loopback cluster at a time (2 cores).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
