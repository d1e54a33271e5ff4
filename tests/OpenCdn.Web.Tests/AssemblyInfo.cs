// One platform at a time: the browser tests share two cores with real transcodes, and ABR timing needs them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
