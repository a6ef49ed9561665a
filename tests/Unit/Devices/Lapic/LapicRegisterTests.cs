using System;
using Hv.Devices.Lapic;
using Xunit;

namespace Hv.Tests.Unit.Devices.Lapic
{
    /// <summary>The xAPIC register page: power-up values, masks, odd accesses (SDM Vol. 3A §11.4).</summary>
    public class LapicRegisterTests
    {
        [Fact]
        public void PowerUp_RegistersHaveTheirResetValues()
        {
            var h = new ApicHarness(index: 3, bsp: false);
            Assert.Equal(3u << 24, h.Read(ApicRegister.Id));
            Assert.Equal(0x0006_0014u, h.Read(ApicRegister.Version));
            Assert.Equal(0xFFu, h.Read(ApicRegister.Svr));
            Assert.Equal(0xFFFF_FFFFu, h.Read(ApicRegister.Dfr));
            Assert.Equal(0u, h.Read(ApicRegister.Tpr));
            Assert.Equal(0u, h.Read(ApicRegister.Ldr));
            Assert.Equal(0u, h.Read(ApicRegister.TimerDivide));
            for (var r = ApicRegister.LvtTimer; r <= ApicRegister.LvtError; r++)
                Assert.Equal(0x1_0000u, h.Read(r));
            Assert.Equal(0x1_0000u, h.Read(ApicRegister.LvtCmci));
            Assert.Equal(LocalApic.DefaultBase | ApicHarness.En, h.Apic.ApicBaseMsr);   // AP: no BSP bit
            Assert.Equal(LocalApic.DefaultBase | ApicHarness.En | ApicHarness.Bsp, new ApicHarness(bsp: true).Apic.ApicBaseMsr);
            Assert.Equal(ApicMode.XApic, h.Apic.Mode);
            Assert.True(h.Apic.MmioEnabled);
            Assert.Equal(LocalApic.DefaultBase, h.Apic.BaseAddress);
        }

        [Fact]
        public void SoftwareDisabled_LvtsStayMasked_EnableAllowsUnmask_DisableMasksAll()
        {
            var h = new ApicHarness();
            h.Write(ApicRegister.LvtTimer, 0x30);
            Assert.Equal(0x1_0030u, h.Read(ApicRegister.LvtTimer));       // §11.4.7.2: mask cannot be cleared
            h.Enable();
            h.Write(ApicRegister.LvtTimer, 0x30);
            h.Write(ApicRegister.LvtLint0, 0x700);
            Assert.Equal(0x30u, h.Read(ApicRegister.LvtTimer));
            Assert.Equal(0x700u, h.Read(ApicRegister.LvtLint0));
            h.Write(ApicRegister.Svr, 0xFF);                               // software disable
            Assert.Equal(0x1_0030u, h.Read(ApicRegister.LvtTimer));
            Assert.Equal(0x1_0700u, h.Read(ApicRegister.LvtLint0));
            Assert.False(h.Apic.SoftwareEnabled);
        }

        [Fact]
        public void Writes_StoreOnlyTheDefinedBits()
        {
            var h = new ApicHarness().Enable();
            h.Write(ApicRegister.LvtTimer, 0xFFFF_FFFF);
            Assert.Equal(0x1_00FFu, h.Read(ApicRegister.LvtTimer));        // mode 11b is reserved: the mode stays
            h.Write(ApicRegister.LvtLint0, 0xFFFF_FFFF);
            Assert.Equal(0x1_A7FFu, h.Read(ApicRegister.LvtLint0));        // no delivery status, no remote IRR
            h.Write(ApicRegister.LvtError, 0xFFFF_FFFF);
            Assert.Equal(0x1_00FFu, h.Read(ApicRegister.LvtError));
            h.Write(ApicRegister.LvtPerf, 0xFFFF_FFFF);
            Assert.Equal(0x1_07FFu, h.Read(ApicRegister.LvtPerf));
            h.Write(ApicRegister.Tpr, 0xFFFF_FFFF);
            Assert.Equal(0xFFu, h.Read(ApicRegister.Tpr));
            h.Write(ApicRegister.Ldr, 0xFFFF_FFFF);
            Assert.Equal(0xFF00_0000u, h.Read(ApicRegister.Ldr));
            h.Write(ApicRegister.Dfr, 0x0000_0000);
            Assert.Equal(0x0FFF_FFFFu, h.Read(ApicRegister.Dfr));          // cluster model, bits 27:0 stay ones
            h.Write(ApicRegister.Svr, 0xFFFF_FFFF);
            Assert.Equal(0x3FFu, h.Read(ApicRegister.Svr));                // no EOI-broadcast suppression bit
            h.Write(ApicRegister.TimerDivide, 0xFFFF_FFFF);
            Assert.Equal(0xBu, h.Read(ApicRegister.TimerDivide));
            h.Write(ApicRegister.IcrHigh, 0xFFFF_FFFF);
            Assert.Equal(0xFF00_0000u, h.Read(ApicRegister.IcrHigh));
            h.Write(ApicRegister.Id, 0x0700_0001);
            Assert.Equal(0x0700_0000u, h.Read(ApicRegister.Id));
            Assert.Equal(7u, h.Apic.ApicId);
        }

        [Fact]
        public void ReadOnlyRegisters_IgnoreWrites()
        {
            var h = new ApicHarness().Enable();
            h.Post(0x40);
            h.Write(ApicRegister.Version, 0);
            h.Write(ApicRegister.Ppr, 0xF0);
            h.Write(ApicRegister.Irr0 + 2, 0);
            h.Write(ApicRegister.TimerCurrentCount, 1234);
            Assert.Equal(0x0006_0014u, h.Read(ApicRegister.Version));
            Assert.Equal(0u, h.Read(ApicRegister.Ppr));
            Assert.Equal(1u, h.Read(ApicRegister.Irr0 + 2));              // vector 0x40 = word 2, bit 0
            Assert.Equal(0u, h.Read(ApicRegister.TimerCurrentCount));
        }

        [Fact]
        public void OddWidthsAndOffsets_ReadZero_WritesDoNothing()
        {
            var h = new ApicHarness().Enable();
            var one = new byte[] { 0xAA };
            h.Apic.Read(0x30, one);
            Assert.Equal(0, one[0]);
            var eight = new byte[8];
            Array.Fill(eight, (byte)0xAA);
            h.Apic.Read(0x30, eight);
            Assert.All(eight, b => Assert.Equal(0, b));
            Assert.Equal(0u, h.ReadAt(0x34));                              // inside a register, not aligned
            Assert.Equal(0u, h.ReadAt(0x3F0));                             // SELF IPI: x2APIC only
            Assert.Equal(0u, h.ReadAt(0x400));
            Assert.Equal(0u, h.ReadAt(0xFFC));
            Assert.Equal(0u, h.Read(ApicRegister.Eoi));                    // write-only
            Assert.Equal(0u, h.ReadAt(0x40));                              // reserved

            h.Apic.Write(0x80, new byte[] { 0x50 });                       // 1-byte TPR write
            h.Apic.Write(0x84, BitConverter.GetBytes(0x60u));              // unaligned
            h.Apic.Write(0x80, BitConverter.GetBytes(0x70UL));             // 8-byte
            h.Apic.Write(0xFF0, BitConverter.GetBytes(0x1u));
            Assert.Equal(0u, h.Read(ApicRegister.Tpr));
        }

        [Fact]
        public void EsrIsWriteThenRead()
        {
            var h = new ApicHarness().Enable();
            h.Post(5);                                                     // illegal vector received
            Assert.Equal(0u, h.Read(ApicRegister.Esr));                    // not visible before a write
            Assert.Equal((uint)ApicErrors.ReceivedIllegalVector, h.ReadEsr());
            Assert.Equal(0u, h.ReadEsr());                                 // the write cleared it
            Assert.Equal(-1, h.Take());                                    // and nothing reached the IRR
        }

        [Fact]
        public void TprAndCr8_AreTheSameRegister()
        {
            var h = new ApicHarness();
            h.Write(ApicRegister.Tpr, 0x5A);
            Assert.Equal(5ul, h.Apic.Cr8);
            h.Apic.WriteCr8(0x3);
            Assert.Equal(0x30u, h.Read(ApicRegister.Tpr));                 // CR8 writes clear TPR[3:0]
            h.Apic.SetTaskPriority(0x1FF);
            Assert.Equal(0xFFu, h.Apic.TaskPriority);
        }

        [Fact]
        public void MmioPage_DoesNotAnswerInX2ApicOrDisabledMode()
        {
            var h = new ApicHarness().Enable();
            h.EnterX2Apic();
            Assert.False(h.Apic.MmioEnabled);
            Assert.Equal(0xFFFF_FFFFu, h.Read(ApicRegister.Version));
            h.Write(ApicRegister.Tpr, 0x20);
            Assert.Equal(0ul, h.Msr(0x808));
            h.WriteMsr(0x1B, LocalApic.DefaultBase);                       // x2APIC -> disabled
            Assert.Equal(0xFFFF_FFFFu, h.Read(ApicRegister.Id));
        }
    }
}
