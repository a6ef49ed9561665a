using Hv.Sched;
using Xunit;

namespace Hv.Tests.Unit.Sched
{
    /// <summary>The in-image scheduler self-test must pass on the host BCL too.</summary>
    public class SchedSelfTestOnHostTests
    {
        [Fact]
        public void SchedSelfTestPassesOnTheHost() => Assert.Null(SchedSelfTest.Run());
    }
}
