using Hv.Devices.Lapic;
using Xunit;

namespace Hv.Tests.Unit.Devices.Lapic
{
    /// <summary>IA32_APIC_BASE and the x2APIC MSR interface (SDM Vol. 3A §11.4.4, §11.12.1, §11.12.5).</summary>
    public class LapicModeTests
    {
        private const ulong Base = LocalApic.DefaultBase;

        [Fact]
        public void ValidTransitions_XApicToX2ApicToDisabledToXApic()
        {
            var h = new ApicHarness(index: 2, bsp: false).Enable();
            h.Write(ApicRegister.Tpr, 0x30);
            h.Write(ApicRegister.LvtLint1, 0x400);
            h.EnterX2Apic();
            Assert.Equal(ApicMode.X2Apic, h.Apic.Mode);
            Assert.Equal(0x30ul, h.Msr(0x808));                               // state carried over
            Assert.Equal(0x400ul, h.Msr(0x836));
            Assert.Equal(2ul, h.Msr(0x802));
            Assert.Equal(Base | ApicHarness.En | ApicHarness.Extd, h.Msr(0x1B));

            h.WriteMsr(0x1B, Base);                                           // -> disabled
            Assert.Equal(ApicMode.Disabled, h.Apic.Mode);
            Assert.False(h.Apic.TryReadMsr(0x808, out _));
            h.WriteMsr(0x1B, Base | ApicHarness.En);                          // -> xAPIC, reset state
            Assert.Equal(0u, h.Read(ApicRegister.Tpr));
            Assert.Equal(0xFFu, h.Read(ApicRegister.Svr));
            Assert.Equal(0x1_0000u, h.Read(ApicRegister.LvtLint1));
            Assert.Equal(2u << 24, h.Read(ApicRegister.Id));
        }

        [Fact]
        public void InvalidTransitions_Fault_AndChangeNothing()
        {
            var h = new ApicHarness();
            Assert.False(h.Apic.TryWriteMsr(0x1B, Base | ApicHarness.Bsp | ApicHarness.Extd));   // EN=0, EXTD=1
            h.EnterX2Apic();
            Assert.False(h.Apic.TryWriteMsr(0x1B, Base | ApicHarness.Bsp | ApicHarness.En));     // x2APIC -> xAPIC
            Assert.Equal(ApicMode.X2Apic, h.Apic.Mode);
            h.WriteMsr(0x1B, Base | ApicHarness.Bsp);
            Assert.False(h.Apic.TryWriteMsr(0x1B, Base | ApicHarness.En | ApicHarness.Extd));    // disabled -> x2APIC
            Assert.Equal(ApicMode.Disabled, h.Apic.Mode);
            Assert.Equal(Base | ApicHarness.Bsp, h.Msr(0x1B));
        }

        [Fact]
        public void ApicBase_ReservedBitsFault_BspIsReadOnly_BaseMoves()
        {
            var h = new ApicHarness(bsp: true);
            Assert.False(h.Apic.TryWriteMsr(0x1B, Base | ApicHarness.En | 1));          // bit 0
            Assert.False(h.Apic.TryWriteMsr(0x1B, Base | ApicHarness.En | (1UL << 9)));
            Assert.False(h.Apic.TryWriteMsr(0x1B, (1UL << 39) | ApicHarness.En));       // above MAXPHYADDR (39)
            h.WriteMsr(0x1B, 0x7F_FEE0_1000UL | ApicHarness.En);                        // BSP bit dropped by the guest
            Assert.Equal(0x7F_FEE0_1000UL | ApicHarness.En | ApicHarness.Bsp, h.Msr(0x1B));
            Assert.Equal(0x7F_FEE0_1000UL, h.Apic.BaseAddress);
        }

        [Fact]
        public void WithoutX2ApicSupport_ExtdFaults()
        {
            var h = new ApicHarness(x2ApicSupported: false);
            Assert.False(h.Apic.TryWriteMsr(0x1B, Base | ApicHarness.Bsp | ApicHarness.En | ApicHarness.Extd));
            Assert.Equal(ApicMode.XApic, h.Apic.Mode);
        }

        [Fact]
        public void X2ApicMsrs_FaultOutsideX2ApicMode()
        {
            var h = new ApicHarness();
            Assert.False(h.Apic.TryReadMsr(0x802, out _));
            Assert.False(h.Apic.TryWriteMsr(0x808, 0));
            Assert.True(LocalApic.OwnsMsr(0x8FF));
            Assert.True(LocalApic.OwnsMsr(0x1B));
            Assert.True(LocalApic.OwnsMsr(0x6E0));
            Assert.False(LocalApic.OwnsMsr(0x900));
            Assert.False(h.Apic.TryReadMsr(0x10, out _));                   // not ours at all
        }

        [Theory]
        [InlineData(0x800u)] [InlineData(0x801u)] [InlineData(0x804u)] [InlineData(0x809u)] [InlineData(0x80Bu)]
        [InlineData(0x80Cu)] [InlineData(0x80Eu)] [InlineData(0x829u)] [InlineData(0x831u)] [InlineData(0x83Au)]
        [InlineData(0x83Fu)] [InlineData(0x840u)] [InlineData(0x8FFu)]
        public void X2Apic_UnimplementedOrWriteOnly_ReadFaults(uint msr)
        {
            var h = new ApicHarness();
            h.EnterX2Apic();
            Assert.False(h.Apic.TryReadMsr(msr, out _));
        }

        [Theory]
        [InlineData(0x802u, 0ul)] [InlineData(0x803u, 0ul)] [InlineData(0x80Au, 0ul)] [InlineData(0x80Du, 0ul)]
        [InlineData(0x810u, 0ul)] [InlineData(0x81Fu, 0ul)] [InlineData(0x827u, 0ul)] [InlineData(0x839u, 0ul)]
        [InlineData(0x80Eu, 0ul)] [InlineData(0x831u, 0ul)] [InlineData(0x809u, 0ul)]
        [InlineData(0x80Bu, 1ul)] [InlineData(0x828u, 1ul)] [InlineData(0x808u, 0x100ul)] [InlineData(0x808u, 1ul << 32)]
        [InlineData(0x80Fu, 0x1000ul)] [InlineData(0x83Eu, 0x4ul)] [InlineData(0x832u, 0x800ul)] [InlineData(0x837u, 0x700ul)]
        [InlineData(0x835u, 0x4_0000ul)] [InlineData(0x832u, 0x6_0000ul)] [InlineData(0x838u, 1ul << 40)]
        public void X2Apic_ReadOnlyOrReservedBits_WriteFaults(uint msr, ulong value)
        {
            var h = new ApicHarness().Enable();
            h.EnterX2Apic();
            Assert.False(h.Apic.TryWriteMsr(msr, value));
        }

        [Fact]
        public void X2Apic_ReadOnlyBitsReadBack_DoNotFault()
        {
            var h = new ApicHarness().Enable();
            h.EnterX2Apic();
            h.WriteMsr(0x835, 0x1_0700ul | 0x1000 | 0x4000);                 // LINT0 with delivery status and remote IRR
            Assert.Equal(0x1_0700ul, h.Msr(0x835));
            h.WriteMsr(0x80B, 0);                                           // EOI 0
            h.WriteMsr(0x828, 0);                                           // ESR 0
            h.WriteMsr(0x80F, 0x3FF);
            Assert.Equal(0x3FFul, h.Msr(0x80F));
            Assert.Equal(0x0006_0014ul, h.Msr(0x803));
        }

        [Fact]
        public void InitInX2ApicMode_KeepsModeIdAndLdr()
        {
            var h = new ApicHarness(index: 5, bsp: false).Enable();
            h.EnterX2Apic();
            h.WriteMsr(0x808, 0x40);
            h.Post(0, mode: Hv.Devices.Platform.ApicDeliveryMode.Init);
            Assert.True(h.Apic.TakeInit());
            Assert.Equal(ApicMode.X2Apic, h.Apic.Mode);
            Assert.Equal(5ul, h.Msr(0x802));
            Assert.Equal(0x20ul, h.Msr(0x80D));
            Assert.Equal(0ul, h.Msr(0x808));
            Assert.Equal(0xFFul, h.Msr(0x80F));
        }
    }
}
