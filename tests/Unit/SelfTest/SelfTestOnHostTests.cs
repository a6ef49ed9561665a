using Hv.SelfTest;
using Xunit;

namespace Hv.Tests.SelfTest
{
    /// <summary>
    /// The in-image self-tests also run on the host BCL: a failure here means the test itself is
    /// wrong; a failure only in the image (integration tests) means our runtime is.
    /// </summary>
    public class SelfTestOnHostTests
    {
        [Fact]
        public void RuntimeSelfTestPassesOnTheHost() => Assert.Null(RuntimeSelfTest.Run());

        [Fact]
        public void IcedSelfTestPassesOnTheHost() => Assert.Null(IcedSelfTest.Run());
    }
}
