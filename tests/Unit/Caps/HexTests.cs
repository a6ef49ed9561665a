using Hv.Virt.Caps;
using Xunit;

namespace Hv.Tests.Unit.Caps
{
    public class HexTests
    {
        [Theory]
        [InlineData(0x0ul, 1, "0x0")]
        [InlineData(0x2bul, 1, "0x2b")]
        [InlineData(0x5ul, 0, "0x5")]
        [InlineData(0x123ul, 2, "0x123")]
        [InlineData(0x7ful, 8, "0x0000007f")]
        [InlineData(0xABCDEFul, 1, "0xabcdef")]
        [InlineData(ulong.MaxValue, 1, "0xffffffffffffffff")]
        [InlineData(0x1ul, 40, "0x0000000000000001")]
        public void Format(ulong value, int minDigits, string expected)
        {
            Assert.Equal(expected, Hex.Format(value, minDigits));
        }
    }
}
