using System;
using System.Text;
using Hv.Virt;
using Hv.Virt.Mmio;
using Iced.Intel;
using Xunit;
using static Hv.Tests.Unit.Virt.GuestPageTables;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>
    /// Runs one instruction twice, on the host CPU (HostCpu) and in the MmioEmulator over a long-mode
    /// guest whose page tables map the host's code page to guest RAM and the host's data pages to MMIO
    /// (FakeMmioBus) or RAM, then compares GPRs (all but RSP), RIP, the status flags and DF, and every
    /// data byte.
    /// </summary>
    internal sealed class HostReferenceRig : IDisposable
    {
        public const ulong CodeGpa = 0x20_0000, RamDataGpa = 0x30_0000, MmioGpa = 0xFEC0_0000;
        public const ulong FlagsCompared = 0x8D5 | 0x400;       // CF PF AF ZF SF OF, DF

        public readonly HostCpu Host = new HostCpu();
        public readonly TestVm T = new TestVm(ramBytes: 0x40_0000);
        public readonly FakeMmioBus Bus = new FakeMmioBus(MmioGpa, HostCpu.DataPages * HostCpu.PageSize);
        public readonly MmioEmulator Emulator = new MmioEmulator();
        private readonly GuestPageTables _pt;
        private readonly bool[] _ram = new bool[HostCpu.DataPages];
        public int Cases;

        public HostReferenceRig()
        {
            _pt = new GuestPageTables(T.Vm.Memory, 0x10_0000);
            _pt.LongMode(T.State);
            _pt.Map(Host.CodeAddress, CodeGpa, P | W | U);
            SetRam();
        }

        public ulong Data => Host.DataAddress;

        /// <summary>Which data pages the guest sees as RAM (the rest are MMIO).</summary>
        public void SetRam(params int[] ramPages)
        {
            for (int i = 0; i < _ram.Length; i++)
            {
                _ram[i] = Array.IndexOf(ramPages, i) >= 0;
                _pt.Map(Data + (ulong)(i * HostCpu.PageSize), PageGpa(i), P | W | U);
            }
        }

        private ulong PageGpa(int i) => (_ram[i] ? RamDataGpa : MmioGpa) + (ulong)(i * HostCpu.PageSize);

        /// <summary>Guest-physical address of a host data address (what the CPU would report for an access there).</summary>
        public ulong Gpa(ulong host)
        {
            ulong off = host - Data;
            Assert.True(off < (ulong)(HostCpu.DataPages * HostCpu.PageSize), "access outside the data pages");
            return PageGpa((int)(off / HostCpu.PageSize)) + off % HostCpu.PageSize;
        }

        /// <summary>
        /// Compares host and emulator for <paramref name="code"/> from <paramref name="regs"/> (16 GPRs),
        /// <paramref name="flags"/> and <paramref name="data"/>. <paramref name="firstAccess"/> gives the host
        /// address of the MMIO byte the CPU would fault on, from the current registers (REP: re-evaluated per call).
        /// </summary>
        public void Compare(byte[] code, ulong[] regs, ulong flags, byte[] data, Func<FakeVcpu, ulong> firstAccess, string label = null)
        {
            Cases++;
            flags = (flags & FlagsCompared) | 2;
            Host.Load(code);
            data.CopyTo(Host.DataSpan);
            var context = new ulong[HostCpu.Slots];
            Array.Copy(regs, context, 16);
            context[HostCpu.FlagsSlot] = flags;
            Host.Run(context);
            byte[] hostData = Host.DataSpan.ToArray();

            // The emulator's guest: same code page, same initial data, same registers.
            Assert.True(T.Vm.Memory.Write(CodeGpa, Host.CodePage()));
            for (int i = 0; i < HostCpu.DataPages; i++)
            {
                var page = new ReadOnlySpan<byte>(data, i * HostCpu.PageSize, HostCpu.PageSize);
                if (_ram[i]) Assert.True(T.Vm.Memory.Write(PageGpa(i), page));
                else page.CopyTo(new Span<byte>(Bus.Bytes, i * HostCpu.PageSize, HostCpu.PageSize));
            }
            FakeVcpu s = T.State;
            for (int r = 0; r < 16; r++) s[(GuestRegister)r] = regs[r];
            s[GuestRegister.Rip] = Host.InstructionAddress;
            s[GuestRegister.Rflags] = flags;
            s.Cpl = 3;
            s.Bitness = 64;
            Bus.Log.Clear();
            Bus.Stray = 0;

            MmioResult result = MmioResult.Retry;
            for (int calls = 0; calls < 100_000 && result == MmioResult.Retry; calls++)
            {
                var ctx = new MmioContext
                {
                    State = s, Memory = T.Vm.Memory, Bus = Bus, PhysicalAddressBits = 46,
                    GuestPhysical = Gpa(firstAccess(s)), Access = AccessKind.Read,
                };
                result = Emulator.Emulate(ref ctx);
            }

            string what = label ?? Describe(code);
            Assert.True(result == MmioResult.Done, what + ": emulator said " + result);
            Assert.Equal(0, Bus.Stray);
            var diffs = new StringBuilder();
            for (int r = 0; r < 16; r++)
                if (r != (int)GuestRegister.Rsp && s[(GuestRegister)r] != context[r])
                    diffs.Append(" ").Append((GuestRegister)r).Append(": host ").Append(context[r].ToString("x")).Append(" emulator ").Append(s[(GuestRegister)r].ToString("x"));
            ulong hf = context[HostCpu.FlagsSlot] & FlagsCompared, ef = s[GuestRegister.Rflags] & FlagsCompared;
            if (hf != ef)
                diffs.Append(" flags: host ").Append(hf.ToString("x")).Append(" emulator ").Append(ef.ToString("x"))
                     .Append(" (in ").Append(flags.ToString("x")).Append(")");
            if (s[GuestRegister.Rip] != Host.InstructionAddress + (ulong)code.Length)
                diffs.Append(" rip not past the instruction");
            for (int i = 0; i < HostCpu.DataPages; i++)
            {
                byte[] page = new byte[HostCpu.PageSize];
                if (_ram[i]) Assert.True(T.Vm.Memory.Read(PageGpa(i), page));
                else Array.Copy(Bus.Bytes, i * HostCpu.PageSize, page, 0, HostCpu.PageSize);
                for (int k = 0; k < page.Length; k++)
                    if (page[k] != hostData[i * HostCpu.PageSize + k])
                    {
                        diffs.Append(" data[").Append((i * HostCpu.PageSize + k).ToString("x")).Append("]: host ")
                             .Append(hostData[i * HostCpu.PageSize + k].ToString("x2")).Append(" emulator ").Append(page[k].ToString("x2"));
                        break;
                    }
            }
            if (diffs.Length != 0)
                Assert.Fail(what + Inputs(regs) + " ->" + diffs);
        }

        private static string Inputs(ulong[] regs)
        {
            var b = new StringBuilder(" with");
            for (int r = 0; r < 16; r++)
                if (r != (int)GuestRegister.Rsp) b.Append(" ").Append((GuestRegister)r).Append("=").Append(regs[r].ToString("x"));
            return b.ToString();
        }

        public static string Describe(byte[] code)
        {
            var d = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code));
            d.Decode(out Instruction ins);
            var f = new NasmFormatter();
            var o = new StringOutput();
            f.Format(ins, o);
            return o.ToStringAndReset() + " [" + BitConverter.ToString(code) + "]";
        }

        public void Dispose() => Host.Dispose();
    }
}
