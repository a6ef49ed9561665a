using Hv.Devices.Lapic;
using Hv.Devices.Platform;
using Xunit;

namespace Hv.Tests.Unit.Devices.Lapic
{
    /// <summary>INIT, SIPI, NMI and the LINT inputs (SDM Vol. 3A §9.4, §11.4.7.3, §11.5.1).</summary>
    public class LapicStartupTests
    {
        [Fact]
        public void PowerOn_ApWaitsForSipi_BspDoesNot()
        {
            Assert.True(new ApicHarness(index: 1, bsp: false).Apic.IsWaitingForSipi);
            var bsp = new ApicHarness(index: 0, bsp: true);
            Assert.False(bsp.Apic.IsWaitingForSipi);
            bsp.Post(0x10, mode: ApicDeliveryMode.StartUp);
            Assert.False(bsp.Apic.TakeSipi(out _));
        }

        [Fact]
        public void Init_ResetsRegistersButKeepsTheId()
        {
            var h = new ApicHarness(index: 1, bsp: false).Enable();
            h.Write(ApicRegister.Id, 0x0900_0000);
            h.Write(ApicRegister.Tpr, 0x20);
            h.Write(ApicRegister.Ldr, 0x0100_0000);
            h.Write(ApicRegister.LvtTimer, 0x2_0040);
            h.Write(ApicRegister.TimerInitialCount, 1000);
            h.Post(0x80);
            h.Post(0, mode: ApicDeliveryMode.Nmi);
            h.Post(0, mode: ApicDeliveryMode.Init);
            Assert.Equal(0x20u, h.Read(ApicRegister.Tpr));                  // nothing happens before the vCPU takes it
            Assert.True(h.Apic.HasPendingEvents);
            Assert.True(h.Apic.TakeInit());
            Assert.Equal(0x0900_0000u, h.Read(ApicRegister.Id));
            Assert.Equal(0u, h.Read(ApicRegister.Tpr));
            Assert.Equal(0u, h.Read(ApicRegister.Ldr));
            Assert.Equal(0xFFu, h.Read(ApicRegister.Svr));
            Assert.Equal(0x1_0000u, h.Read(ApicRegister.LvtTimer));
            Assert.Equal(0u, h.Read(ApicRegister.TimerInitialCount));
            Assert.Equal(0u, h.Read(ApicRegister.Irr0 + 4));
            Assert.False(h.Apic.NmiPending);
            Assert.True(h.Apic.IsWaitingForSipi);
            Assert.Equal(ApicMode.XApic, h.Apic.Mode);
        }

        [Fact]
        public void InitThenSipi_BeforeTheVcpuLooks_BothTakeEffect()
        {
            var h = new ApicHarness(index: 1, bsp: false);
            Assert.True(h.Apic.TakeSipi(out _) == false);
            h.Post(0x11, mode: ApicDeliveryMode.StartUp);
            Assert.True(h.Apic.TakeSipi(out byte first));                    // the AP runs
            Assert.Equal(0x11, first);
            h.Post(0x22, mode: ApicDeliveryMode.StartUp);                     // running: ignored
            h.Post(0, mode: ApicDeliveryMode.Init);
            h.Post(0x33, mode: ApicDeliveryMode.StartUp);
            Assert.True(h.Apic.TakeInit());
            Assert.True(h.Apic.TakeSipi(out byte second));
            Assert.Equal(0x33, second);
        }

        [Fact]
        public void LaterInit_VoidsAnUntakenSipi()
        {
            var h = new ApicHarness(index: 1, bsp: false);
            h.Post(0x44, mode: ApicDeliveryMode.StartUp);
            h.Post(0, mode: ApicDeliveryMode.Init);
            Assert.True(h.Apic.TakeInit());
            Assert.False(h.Apic.TakeSipi(out _));
            Assert.True(h.Apic.IsWaitingForSipi);
        }

        [Fact]
        public void BspInit_DoesNotWaitForSipi()
        {
            var h = new ApicHarness(index: 0, bsp: true);
            h.Post(0, mode: ApicDeliveryMode.Init);
            Assert.True(h.Apic.TakeInit());
            Assert.False(h.Apic.IsWaitingForSipi);
        }

        [Fact]
        public void InitLevelDeassert_IsIgnored()
        {
            var h = new ApicHarness(index: 1, bsp: false);
            h.Apic.Accept(new ApicMessage { Mode = ApicDeliveryMode.Init, LevelTriggered = true, Assert = false });
            Assert.False(h.Apic.InitPending);
        }

        [Fact]
        public void Lint_VirtualWireAndNmi()
        {
            var h = new ApicHarness();
            Assert.False(h.Apic.AcceptsPicInterrupts);                       // LINT0 masked at power-up
            h.Enable();
            h.Write(ApicRegister.LvtLint0, 0x700);                           // ExtINT, unmasked
            h.Write(ApicRegister.LvtLint1, 0x400);                           // NMI
            Assert.True(h.Apic.AcceptsPicInterrupts);
            Assert.Equal(ApicDeliveryMode.ExtInt, h.Apic.Lint0.DeliveryMode);
            Assert.Equal(ApicDeliveryMode.Nmi, h.Apic.GetLvt(LvtIndex.Lint1).DeliveryMode);
            Assert.True(h.Apic.GetLvt((LvtIndex)200).Masked);
            h.Apic.PulseLint(1);
            Assert.True(h.Apic.TakeNmi());
            h.Apic.PulseLint(0);
            Assert.True(h.Apic.TakeExtInt());
            h.Apic.PulseLint(7);                                             // no such pin
            Assert.False(h.Apic.HasPendingEvents);
            h.Write(ApicRegister.LvtLint0, 0x1_0700);
            Assert.False(h.Apic.AcceptsPicInterrupts);
            h.Write(ApicRegister.LvtLint0, 0x0030);                          // fixed: the vector
            h.Apic.PulseLint(0);
            Assert.Equal(0x30, h.Take());
            h.WriteMsr(0x1B, LocalApic.DefaultBase | ApicHarness.Bsp);       // globally disabled: INTR direct
            Assert.True(h.Apic.AcceptsPicInterrupts);
        }

        [Fact]
        public void PowerOnReset_RestoresEverything()
        {
            var h = new ApicHarness(index: 1, bsp: false).Enable();
            h.EnterX2Apic();
            h.WriteMsr(0x808, 0x30);
            h.Apic.PowerOnReset();
            Assert.Equal(ApicMode.XApic, h.Apic.Mode);
            Assert.Equal(1u << 24, h.Read(ApicRegister.Id));
            Assert.Equal(0u, h.Read(ApicRegister.Tpr));
            Assert.True(h.Apic.IsWaitingForSipi);
        }
    }
}
