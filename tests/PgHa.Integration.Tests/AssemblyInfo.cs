// One cluster at a time: parallel clusters on a 2-core machine would compete for CPU and skew failover timing.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
