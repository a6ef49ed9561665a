using Xunit;

namespace Hv.Tests.Unit
{
    /// <summary>
    /// Tests that assert "allocates nothing" with GC.GetAllocatedBytesForCurrentThread run alone,
    /// not beside other test classes: run in parallel they were seen to count a few KB that the
    /// code under test did not allocate (SchedulerSimulationTests 4720 bytes, HotPathAllocationTests),
    /// in about one full run in five, also before the code they test changed.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class AllocationMeasuringCollection
    {
        public const string Name = "allocation-measuring";
    }
}
