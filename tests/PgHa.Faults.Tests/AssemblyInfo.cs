// One cluster at a time: parallel clusters on a 2-core machine would compete for CPU and skew the timings measured.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
