using System;
using System.Reflection;
using Hv.Memory;
using Xunit;

namespace Hv.Tests.Unit.Memory
{
    /// <summary>Typed addresses and checked address arithmetic.</summary>
    public class AddressTests
    {
        [Fact]
        public void TryAdd_OverflowPast2To64_IsRefused()
        {
            HostPhysical top = new HostPhysical(ulong.MaxValue - 1);

            Assert.True(top.TryAdd(1, out HostPhysical last));
            Assert.Equal(ulong.MaxValue, last.Value);
            Assert.False(top.TryAdd(2, out HostPhysical wrapped));
            Assert.Equal(0ul, wrapped.Value);
            Assert.False(new GuestPhysical(0x1000).TryAdd(ulong.MaxValue, out _));
            Assert.False(new HostVirtual(ulong.MaxValue).TryAdd(1, out _));
        }

        [Fact]
        public void TrySubtract_BelowZero_IsRefused()
        {
            Assert.True(new GuestPhysical(0x3000).TrySubtract(0x3000, out GuestPhysical zero));
            Assert.Equal(0ul, zero.Value);
            Assert.False(new GuestPhysical(0x3000).TrySubtract(0x3001, out _));
        }

        [Fact]
        public void TryDistanceTo_NeedsEndAtOrAboveStart()
        {
            Assert.True(new HostPhysical(0x1000).TryDistanceTo(new HostPhysical(0x5000), out ulong bytes));
            Assert.Equal(0x4000ul, bytes);
            Assert.False(new HostPhysical(0x5000).TryDistanceTo(new HostPhysical(0x1000), out _));
        }

        [Theory]
        [InlineData(0x0ul, 0x1000ul, 0x0ul)]
        [InlineData(0x1ul, 0x1000ul, 0x1000ul)]
        [InlineData(0x1000ul, 0x1000ul, 0x1000ul)]
        [InlineData(0x20_0001ul, 0x20_0000ul, 0x40_0000ul)]
        [InlineData(0xFFFF_FFFF_FFFF_F000ul, 0x1000ul, 0xFFFF_FFFF_FFFF_F000ul)]
        public void TryAlignUp_Rounds(ulong value, ulong alignment, ulong expected)
        {
            Assert.True(new HostPhysical(value).TryAlignUp(alignment, out HostPhysical up));
            Assert.Equal(expected, up.Value);
        }

        [Fact]
        public void TryAlignUp_PastTheTop_IsRefused()
        {
            Assert.False(new HostPhysical(0xFFFF_FFFF_FFFF_F001).TryAlignUp(PageSize.Size4K, out _));
            Assert.False(new GuestPhysical(0xFFFF_FFFF_C000_0001).TryAlignUp(PageSize.Size1G, out _));
        }

        [Theory]
        [InlineData(0ul)]
        [InlineData(3ul)]
        [InlineData(0x3000ul)]
        [InlineData(0x8000_0000_0000_0001ul)]
        public void Alignment_NotAPowerOfTwo_IsRefused(ulong alignment)
        {
            HostPhysical a = new HostPhysical(0x40_0000);
            Assert.False(a.TryAlignUp(alignment, out _));
            Assert.False(a.TryAlignDown(alignment, out _));
            Assert.False(a.IsAligned(alignment));
        }

        [Fact]
        public void TryAlignDown_AndIsAligned()
        {
            Assert.True(new HostPhysical(0x3F_FFFF).TryAlignDown(PageSize.Size2M, out HostPhysical down));
            Assert.Equal(0x20_0000ul, down.Value);
            Assert.True(new HostPhysical(0x4000_0000).IsAligned(PageSize.Size1G));
            Assert.False(new HostPhysical(0x4000_1000).IsAligned(PageSize.Size2M));
            Assert.True(new HostPhysical(0x4000_1000).IsPageAligned);
            Assert.Equal(0x123ul, new HostVirtual(0x7123).PageOffset);
            Assert.Equal(0x7ul, new HostVirtual(0x7123).PageNumber);
        }

        [Fact]
        public void TryFromPageNumber_RefusesPagesPast2To64()
        {
            Assert.True(HostPhysical.TryFromPageNumber((1ul << 52) - 1, out HostPhysical last));
            Assert.Equal(0xFFFF_FFFF_FFFF_F000ul, last.Value);
            Assert.False(HostPhysical.TryFromPageNumber(1ul << 52, out _));
            Assert.True(GuestPhysical.TryFromPageNumber(0x100, out GuestPhysical g));
            Assert.Equal(0x10_0000ul, g.Value);
        }

        [Fact]
        public void ComparisonAndEquality()
        {
            HostPhysical a = new HostPhysical(0x1000), b = new HostPhysical(0x2000), a2 = new HostPhysical(0x1000);

            Assert.True(a < b && b > a && a <= a2 && a >= a2 && a == a2 && a != b);
            Assert.Equal(-1, a.CompareTo(b));
            Assert.Equal(1, b.CompareTo(a));
            Assert.Equal(0, a.CompareTo(a2));
            Assert.True(a.Equals((object)a2));
            Assert.False(a.Equals((object)new GuestPhysical(0x1000)));   // same number, other space
            Assert.Equal(a.GetHashCode(), a2.GetHashCode());
        }

        [Theory]
        [InlineData(0x0ul, "0x0")]
        [InlineData(0x10_0000ul, "0x100000")]
        [InlineData(0xFEE0_0000ul, "0xfee00000")]
        [InlineData(ulong.MaxValue, "0xffffffffffffffff")]
        public void ToString_IsHex(ulong value, string expected)
        {
            Assert.Equal(expected, new HostPhysical(value).ToString());
            Assert.Equal(expected, new HostVirtual(value).ToString());
            Assert.Equal(expected, new GuestPhysical(value).ToString());
        }

        [Theory]
        [InlineData(typeof(HostPhysical))]
        [InlineData(typeof(HostVirtual))]
        [InlineData(typeof(GuestPhysical))]
        public void AddressSpaces_HaveNoConversions(Type type)
        {
            foreach (MethodInfo m in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
                Assert.True(m.Name != "op_Implicit" && m.Name != "op_Explicit", type.Name + " declares " + m.Name);
            Assert.True(type.IsValueType);
            Assert.True(type.IsDefined(typeof(System.Runtime.CompilerServices.IsReadOnlyAttribute), false), type.Name + " is not readonly");
        }

        [Fact]
        public void PageSizes_MatchTheirShifts()
        {
            Assert.Equal(1ul << PageSize.Shift4K, PageSize.Size4K);
            Assert.Equal(1ul << PageSize.Shift2M, PageSize.Size2M);
            Assert.Equal(1ul << PageSize.Shift1G, PageSize.Size1G);
            Assert.Equal(512ul, PageSize.FramesPer2M);
            Assert.Equal(262144ul, PageSize.FramesPer1G);
        }

        [Fact]
        public void TryMultiply_AndPagesToBytes_RefuseOverflow()
        {
            Assert.True(AddressMath.TryMultiply(0, ulong.MaxValue, out ulong zero));
            Assert.Equal(0ul, zero);
            Assert.False(AddressMath.TryMultiply(1ul << 32, 1ul << 32, out _));
            Assert.True(AddressMath.TryPagesToBytes((1ul << 52) - 1, out ulong bytes));
            Assert.Equal(0xFFFF_FFFF_FFFF_F000ul, bytes);
            Assert.False(AddressMath.TryPagesToBytes(1ul << 52, out _));
        }
    }
}
