using System.Threading;
using Hv.Devices.Lapic;
using Hv.Devices.Platform;
using Xunit;

namespace Hv.Tests.Unit.Devices.Lapic
{
    /// <summary>Acceptance, priorities, IRR -> ISR and EOI (SDM Vol. 3A §11.8).</summary>
    public class LapicDeliveryTests
    {
        [Fact]
        public void HighestVectorFirst_NestingOnlyForHigherClasses()
        {
            var h = new ApicHarness().Enable();
            h.Post(0x31);
            h.Post(0x52);
            h.Post(0x55);
            Assert.Equal(0x55, h.Take());
            Assert.Equal(0x50u, h.Read(ApicRegister.Ppr));                // ISR class 5
            Assert.Equal(-1, h.Take());                                     // 0x52: same class, waits
            h.Post(0x61);
            Assert.Equal(0x61, h.Take());                                   // higher class nests
            Assert.Equal(0x60u, h.Read(ApicRegister.Ppr));
            h.Write(ApicRegister.Eoi, 0);                                   // ends 0x61
            Assert.Equal(0x50u, h.Read(ApicRegister.Ppr));
            Assert.Equal(-1, h.Take());
            h.Write(ApicRegister.Eoi, 0);                                   // ends 0x55
            Assert.Equal(0x52, h.Take());
            h.Write(ApicRegister.Eoi, 0);
            Assert.Equal(0x31, h.Take());
            h.Write(ApicRegister.Eoi, 0);
            Assert.Equal(0u, h.Read(ApicRegister.Ppr));
            Assert.Equal(-1, h.Take());
            h.Write(ApicRegister.Eoi, 0);                                   // EOI with nothing in service: harmless
            Assert.Empty(h.Bus.Eois);
        }

        [Fact]
        public void IrrIsrTmr_AreVisibleInTheirRegisters()
        {
            var h = new ApicHarness().Enable();
            h.Post(0x41, level: true);
            h.Post(0xFE);
            Assert.Equal(1u << 1, h.Read(ApicRegister.Irr0 + 2));
            Assert.Equal(1u << 30, h.Read(ApicRegister.Irr7));
            Assert.Equal(1u << 1, h.Read(ApicRegister.Tmr0 + 2));
            Assert.Equal(0u, h.Read(ApicRegister.Tmr7));
            Assert.Equal(0xFE, h.Take());
            Assert.Equal(0u, h.Read(ApicRegister.Irr7));
            Assert.Equal(1u << 30, h.Read(ApicRegister.Isr0 + 7));
        }

        [Fact]
        public void TprHoldsBackItsClassAndBelow()
        {
            var h = new ApicHarness().Enable();
            h.Write(ApicRegister.Tpr, 0x5F);
            h.Post(0x5E);
            Assert.False(h.Apic.TryGetInterrupt(out _));
            Assert.Equal(0x5Fu, h.Read(ApicRegister.Ppr));
            h.Apic.WriteCr8(4);
            Assert.True(h.Apic.TryGetInterrupt(out byte v));
            Assert.Equal(0x5E, v);
            Assert.True(h.Apic.TryGetInterrupt(out _));                     // still in the IRR until acknowledged
            h.Apic.AcknowledgeInterrupt(0x5E);
            Assert.Equal(0x50u, h.Read(ApicRegister.Ppr));
            h.Apic.AcknowledgeInterrupt(0x77);                               // not in the IRR: ignored
            Assert.Equal(0x50u, h.Read(ApicRegister.Ppr));
        }

        [Fact]
        public void LevelEoi_IsBroadcast_EdgeEoiIsNot()
        {
            var h = new ApicHarness().Enable();
            h.Post(0x60, level: true);
            h.Post(0x70);
            Assert.Equal(0x70, h.Take());
            Assert.Equal(-1, h.Take());                                     // 0x60: lower class waits
            h.Write(ApicRegister.Eoi, 0);                                   // edge: stays local
            Assert.Empty(h.Bus.Eois);
            Assert.Equal(0x60, h.Take());
            h.Write(ApicRegister.Eoi, 0);
            Assert.Equal(new byte[] { 0x60 }, h.Bus.Eois.ToArray());
        }

        [Fact]
        public void EdgeAfterLevel_ClearsTheTmrBit()
        {
            var h = new ApicHarness().Enable();
            h.Post(0x60, level: true);
            h.Post(0x60);
            Assert.Equal(0u, h.Read(ApicRegister.Tmr0 + 3));
            Assert.Equal(0x60, h.Take());
            h.Write(ApicRegister.Eoi, 0);
            Assert.Empty(h.Bus.Eois);
        }

        [Fact]
        public void SoftwareDisabled_RefusesFixed_ButTakesNmiInitSipi()
        {
            var h = new ApicHarness(bsp: false);
            h.Post(0x40);
            h.Post(0x41, mode: ApicDeliveryMode.LowestPriority);
            Assert.Equal(0u, h.Read(ApicRegister.Irr0 + 2));
            h.Post(0, mode: ApicDeliveryMode.Nmi);
            Assert.True(h.Apic.NmiPending);
            h.Post(0x9A, mode: ApicDeliveryMode.StartUp);
            Assert.True(h.Apic.TakeSipi(out byte vector));
            Assert.Equal(0x9A, vector);
        }

        [Fact]
        public void HeldInterrupts_AreStillDeliveredAfterSoftwareDisable()
        {
            var h = new ApicHarness().Enable();
            h.Post(0x40);
            h.Write(ApicRegister.Svr, 0xFF);
            Assert.Equal(0x40, h.Take());                                   // §11.4.7.2: IRR is held, not discarded
        }

        [Fact]
        public void GloballyDisabled_TakesAndDeliversNothing()
        {
            var h = new ApicHarness().Enable();
            h.Post(0x40);
            h.WriteMsr(0x1B, LocalApic.DefaultBase | ApicHarness.Bsp);
            Assert.Equal(ApicMode.Disabled, h.Apic.Mode);
            Assert.Equal(-1, h.Take());
            h.Post(0x41);
            h.Post(0, mode: ApicDeliveryMode.Nmi);
            h.Post(0, mode: ApicDeliveryMode.Init);
            Assert.False(h.Apic.HasPendingEvents);
        }

        [Fact]
        public void ReceivedIllegalVector_RaisesTheErrorLvt()
        {
            var h = new ApicHarness().Enable();
            h.Write(ApicRegister.LvtError, 0xE0);
            h.Post(15);
            Assert.Equal(0xE0, h.Take());
            Assert.Equal((uint)ApicErrors.ReceivedIllegalVector, h.ReadEsr());
        }

        [Fact]
        public void IllegalErrorVector_DoesNotRecurse()
        {
            var h = new ApicHarness().Enable();
            h.Write(ApicRegister.LvtError, 0x03);
            h.Post(2);
            Assert.Equal(-1, h.Take());
            Assert.Equal((uint)ApicErrors.ReceivedIllegalVector, h.ReadEsr());
        }

        [Fact]
        public void ArbitrationPriority_FollowsTheSdmFormula()
        {
            var h = new ApicHarness().Enable();
            h.Write(ApicRegister.Tpr, 0x45);
            Assert.Equal(0x45u, h.Read(ApicRegister.Apr));                  // TPR dominates
            h.Post(0x62);
            Assert.Equal(0x60u, h.Read(ApicRegister.Apr));                  // IRR class above TPR
            h.Take();
            Assert.Equal(0x60u, h.Read(ApicRegister.Apr));                  // ISR class above TPR
        }

        [Fact]
        public void HasPendingEvents_CoversEveryKind()
        {
            var h = new ApicHarness().Enable();
            Assert.False(h.Apic.HasPendingEvents);
            h.Post(0, mode: ApicDeliveryMode.ExtInt);
            Assert.True(h.Apic.HasPendingEvents);
            Assert.True(h.Apic.TakeExtInt());
            Assert.False(h.Apic.TakeExtInt());
            h.Post(0, mode: ApicDeliveryMode.Nmi);
            Assert.True(h.Apic.TakeNmi());
            Assert.False(h.Apic.HasPendingEvents);
            h.Post(0, mode: ApicDeliveryMode.Smi);                          // no SMM: dropped
            Assert.False(h.Apic.HasPendingEvents);
            h.Write(ApicRegister.Tpr, 0xF0);
            h.Post(0x80);
            Assert.False(h.Apic.HasPendingEvents);                          // held back by the TPR
        }

        [Fact]
        public void ConcurrentAccept_LosesNoVector()
        {
            var h = new ApicHarness().Enable();
            var threads = new Thread[4];
            for (int t = 0; t < threads.Length; t++)
            {
                int first = 16 + t * 60;
                threads[t] = new Thread(() =>
                {
                    for (int round = 0; round < 200; round++)
                        for (int v = first; v < first + 60 && v < 256; v++)
                            h.Post((byte)v, level: (v & 1) != 0);
                });
            }
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            for (int w = 0; w < 8; w++)
            {
                uint expectIrr = w == 0 ? 0xFFFF_0000u : 0xFFFF_FFFFu;
                Assert.Equal(expectIrr, h.Read(ApicRegister.Irr0 + (byte)w));
                Assert.Equal(expectIrr & 0xAAAA_AAAAu, h.Read(ApicRegister.Tmr0 + (byte)w));
            }
        }
    }
}
