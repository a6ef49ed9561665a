using System;
using Hv.Devices.Acpi;
using Hv.Devices.Platform;
using Hv.Tests.Unit.Devices.Fakes;
using Xunit;
using static Hv.Tests.Unit.Devices.Fakes.Port;

namespace Hv.Tests.Unit.Devices.AcpiModel
{
    internal sealed class PowerLog : IPowerControl
    {
        public int PowerOffs, Resets;
        public void PowerOff() => PowerOffs++;
        public void Reset() => Resets++;
    }

    /// <summary>The ACPI PM1/PM timer/GPE0 block and the 0xCF9 reset register through their ports.</summary>
    public class AcpiPmTests
    {
        private const ulong Second = 1_000_000_000;
        private const ulong Sts = PmLayout.Pm1aEventBlock - PmLayout.IoBase, En = Sts + 2;
        private const ulong Cnt = PmLayout.Pm1aControlBlock - PmLayout.IoBase;
        private const ulong Tmr = PmLayout.PmTimerBlock - PmLayout.IoBase;
        private const ulong GpeSts = PmLayout.Gpe0Block - PmLayout.IoBase, GpeEn = GpeSts + 2;
        private readonly ManualClock _clock = new ManualClock(42);
        private readonly IrqLineLog _irqs = new IrqLineLog();
        private readonly PowerLog _power = new PowerLog();
        private readonly AcpiPmDevice _pm;

        public AcpiPmTests() { _pm = new AcpiPmDevice(_clock, _irqs, _power); }

        [Fact]
        public void Layout_BlocksLieInsideTheDeviceRange_WithoutOverlap()
        {
            Assert.Equal(0x600, PmLayout.Pm1aEventBlock);
            Assert.True(PmLayout.Pm1aEventBlock + PmLayout.Pm1EventLength <= PmLayout.Pm1aControlBlock);
            Assert.True(PmLayout.Pm1aControlBlock + PmLayout.Pm1ControlLength <= PmLayout.PmTimerBlock);
            Assert.True(PmLayout.PmTimerBlock + PmLayout.PmTimerLength <= PmLayout.Gpe0Block);
            Assert.Equal(PmLayout.IoBase + PmLayout.IoLength, PmLayout.Gpe0Block + PmLayout.Gpe0Length);
            Assert.Equal(16, PmLayout.Gpe0Count);
            Assert.True(PmLayout.PmTimer32Bit);
            Assert.Equal(0, PmLayout.Gpe0Length % 2);                       // ACPI: GPE0_BLK_LEN is a multiple of 2
        }

        [Fact]
        public void PmTimer_Counts32BitsAt3579545Hz()
        {
            Assert.Equal(0u, In32(_pm, Tmr));
            _clock.AdvanceNs(Second);
            Assert.Equal(3_579_545u, In32(_pm, Tmr));
            Assert.Equal((byte)(3_579_545 >> 16), In8(_pm, Tmr + 2));
            Out32(_pm, Tmr, 0);                                             // read-only
            Assert.Equal(3_579_545u, In32(_pm, Tmr));
            _clock.Now = 42 + 1200 * Second;                                // 4,295,454,000 ticks: past 2^32
            Assert.Equal((uint)(1200ul * 3_579_545 - (1ul << 32)), In32(_pm, Tmr));
        }

        [Fact]
        public void TimerCarry_SetsTmrSts_SciWhenEnabled()
        {
            Out16(_pm, En, (int)Pm1Enable.Timer);
            ulong carry = _pm.NextDeadlineNs;
            Assert.Equal(42 + (ulong)Math.Ceiling((1ul << 31) * 1e9 / 3_579_545), carry);
            _clock.Now = carry - 1;
            _pm.Advance(_clock.Now);
            Assert.False(_irqs.Level[9]);
            _clock.Now = carry;
            _pm.Advance(_clock.Now);
            Assert.True(_irqs.Level[9]);
            Assert.Equal((int)Pm1Status.Timer, In16(_pm, Sts));
            Assert.Equal(Deadline.None, _pm.NextDeadlineNs);
            Out16(_pm, Sts, (int)Pm1Status.Timer);                          // write 1 to clear
            Assert.False(_irqs.Level[9]);
            Assert.Equal(0, In16(_pm, Sts));
        }

        [Fact]
        public void TimerCarry_WithoutEnable_OnlySetsStatus()
        {
            _clock.Now = 42 + 700 * Second;
            Assert.Equal((int)Pm1Status.Timer, In16(_pm, Sts) & 1);
            Assert.Empty(_irqs.Changes);
            Assert.Equal(Deadline.None, _pm.NextDeadlineNs);
            Out16(_pm, En, 0xFFFF);
            Assert.Equal((int)Pm1Enable.Writable, In16(_pm, En));
            Assert.True(_irqs.Level[9]);                                    // pending status + enable
        }

        [Fact]
        public void Pm1Control_SciEnAlwaysSet_S5PowersOff()
        {
            Assert.Equal(1, In16(_pm, Cnt) & 1);
            Out16(_pm, Cnt, 0);
            Assert.Equal(1, In16(_pm, Cnt) & 1);
            // ACPICA acpi_hw_legacy_sleep: write SLP_TYP, then SLP_TYP | SLP_EN.
            int typ = PmLayout.SlpTypS5 << 10;
            Out16(_pm, Cnt, typ | 1);
            Assert.Equal(typ | 1, In16(_pm, Cnt));
            Assert.Equal(0, _power.PowerOffs);
            Out16(_pm, Cnt, typ | 0x2000 | 1);
            Assert.Equal(1, _power.PowerOffs);
            Assert.Equal(0, In16(_pm, Cnt) & 0x2000);                       // SLP_EN reads 0
            Out16(_pm, Cnt, 3 << 10 | 0x2000);                              // S3: not offered, ignored
            Assert.Equal(1, _power.PowerOffs);
            Assert.Equal(1ul, _pm.IgnoredSleepRequests);
            Out8(_pm, Cnt + 1, (typ | 0x2000) >> 8);                        // a byte write carries both fields
            Assert.Equal(2, _power.PowerOffs);
        }

        [Fact]
        public void PowerButtonAndGpe_RaiseSciWhenEnabled()
        {
            _pm.PressPowerButton();
            Assert.Empty(_irqs.Changes);
            Assert.Equal((int)Pm1Status.PowerButton, In16(_pm, Sts));
            Out16(_pm, En, (int)Pm1Enable.PowerButton);
            Assert.True(_irqs.Level[9]);
            Out16(_pm, Sts, 0xFFFF);
            Assert.False(_irqs.Level[9]);

            _pm.RaiseGpe(3);
            _pm.RaiseGpe(99);                                               // no such GPE: ignored
            Assert.Equal(0x0008, In16(_pm, GpeSts));
            Out16(_pm, GpeEn, 0x0008);
            Assert.True(_irqs.Level[9]);
            Assert.Equal(0x0008, In16(_pm, GpeEn));
            Out8(_pm, GpeSts, 0x08);
            Assert.False(_irqs.Level[9]);
        }

        [Fact]
        public void WideAndOddAccesses()
        {
            Out16(_pm, En, 0x0121);
            _pm.PressPowerButton();
            Assert.Equal(0x0121_0100u, In32(_pm, Sts));                     // PM1_EN:PM1_STS
            Assert.Equal(0xFFFFu, In16(_pm, Cnt + 2));                      // hole after PM1_CNT
            Assert.Equal(0xFFu, In8(_pm, 0x10));                            // hole before GPE0
            Out32(_pm, 0x0C, 0xFFFFFFFF);                                   // writes to holes: nothing
            Out8(_pm, Sts + 1, 0x01);                                       // clear PWRBTN_STS with a byte
            Assert.Equal(0, In16(_pm, Sts));
            var b = new byte[8];
            _pm.Read(PmLayout.IoLength - 4, b);                             // runs past the range: 0xFF
            Assert.Equal(0xFF, b[7]);
        }

        [Fact]
        public void ResetRegister_0x06Resets_OtherBitsStore()
        {
            var reset = new ResetControlRegister(_power);
            Out8(reset, 0, 0x02);
            Assert.Equal(0, _power.Resets);
            Assert.Equal(0x02, In8(reset, 0));
            Out8(reset, 0, PmLayout.ResetValue);
            Assert.Equal(1, _power.Resets);
            Assert.Equal(0x02, In8(reset, 0));                              // RST_CPU reads 0
            Out8(reset, 0, 0x0E);
            Assert.Equal(2, _power.Resets);
            Assert.Equal(0x0A, In8(reset, 0));
            Out8(reset, 1, 0x06);                                           // not its byte
            Assert.Equal(2, _power.Resets);
        }

        [Fact]
        public void RegisterAccesses_AllocateNothing()
        {
            var pm = new AcpiPmDevice(_clock, new SilentIrqLines(), _power);
            var four = new byte[4];
            Run(pm, four, 10);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(pm, four, 3000);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        private void Run(AcpiPmDevice pm, byte[] four, int rounds)
        {
            for (int i = 0; i < rounds; i++)
            {
                _clock.Now += 1_000_000_000;
                pm.Read(Tmr, four);
                pm.Read(Sts, four);
                pm.Write(Sts, four);
                pm.Advance(_clock.Now);
                _ = pm.NextDeadlineNs;
            }
        }
    }
}
