using System;
using System.Collections.Generic;
using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>
    /// STOS, LODS, MOVS against the host CPU: every width, no REP / REP / REPNE, both directions, 64- and
    /// 32-bit address size (67h: ESI/EDI/ECX, upper halves zeroed), RAM or MMIO on either side, counts
    /// below and above MmioEmulator.MaxElementsPerExit (the rig re-runs Retry until Done, as the guest would).
    /// </summary>
    public class HostReferenceStringTests : IDisposable
    {
        private readonly HostReferenceRig _rig;
        private readonly Random _rng = new Random(0xC0FFEE);

        public HostReferenceStringTests()
        {
            Assert.True(HostCpu.Available, "these tests need the x86-64 Linux host they are the reference on");
            _rig = new HostReferenceRig();
        }

        public void Dispose() => _rig.Dispose();

        private enum Kind { Stos, Lods, Movs }

        private ulong Random64() => ((ulong)(uint)_rng.Next() << 33) ^ ((ulong)(uint)_rng.Next() << 11) ^ (ulong)(uint)_rng.Next();

        /// <summary>[segment][67][66][F3/F2][REX.W] opcode.</summary>
        private static byte[] Encode(Kind kind, int bytes, byte rep, bool a32, byte segment = 0)
        {
            var b = new List<byte>();
            if (segment != 0) b.Add(segment);
            if (a32) b.Add(0x67);
            if (bytes == 2) b.Add(0x66);
            if (rep != 0) b.Add(rep);
            if (bytes == 8) b.Add(0x48);
            byte op = kind == Kind.Stos ? (byte)0xAA : kind == Kind.Lods ? (byte)0xAC : (byte)0xA4;
            b.Add(bytes == 1 ? op : (byte)(op + 1));
            return b.ToArray();
        }

        private void Case(Kind kind, int bytes, byte rep, bool down, bool a32, int[] ramPages, ulong count, byte segment = 0, ulong segmentBase = 0)
        {
            _rig.SetRam(ramPages);
            var data = new byte[HostCpu.DataPages * HostCpu.PageSize];
            _rng.NextBytes(data);
            var regs = new ulong[16];
            for (int r = 0; r < 16; r++) regs[r] = Random64();
            regs[(int)GuestRegister.Rsp] = 0;
            ulong src = _rig.Data + 0x1000 + (ulong)_rng.Next(0, 0x100);
            ulong dst = _rig.Data + 0x2000 + (ulong)_rng.Next(0, 0x100);
            if (down) { src += 0xD00; dst += 0xD00; }
            ulong high = a32 ? Random64() & 0xFFFF_FFFF_0000_0000 : 0;  // ignored by 32-bit addressing
            regs[(int)GuestRegister.Rsi] = high | (src - segmentBase);
            regs[(int)GuestRegister.Rdi] = high | dst;
            if (rep != 0)
                regs[(int)GuestRegister.Rcx] = a32 ? (Random64() & 0xFFFF_FFFF_0000_0000) | count : count;
            ulong flags = ((ulong)_rng.Next() & 0x8D5) | (down ? 0x400UL : 0);
            bool srcMmio = Array.IndexOf(ramPages, 1) < 0;
            ulong amask = a32 ? 0xFFFF_FFFFUL : ulong.MaxValue;
            byte[] code = Encode(kind, bytes, rep, a32, segment);
            string label = kind + " x" + bytes + (rep == 0xF3 ? " rep" : rep == 0xF2 ? " repne" : "") + (down ? " down" : " up")
                + (a32 ? " a32" : "") + " count " + count + " ram " + string.Join(",", ramPages) + " " + HostReferenceRig.Describe(code);
            int calls = 0;
            _rig.Compare(code, regs, flags, data, s =>
            {
                calls++;
                return kind == Kind.Stos || (kind == Kind.Movs && !srcMmio)
                    ? s[GuestRegister.Rdi] & amask
                    : segmentBase + (s[GuestRegister.Rsi] & amask);
            }, label);
            // 150 elements at MaxElementsPerExit (64) a call: two Retry, then Done.
            if (rep != 0 && count == 150)
                Assert.Equal(3, calls);
        }

        private static readonly ulong[] Counts = { 0, 1, 7, 64, 65, 150 };

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(4)]
        [InlineData(8)]
        public void StosLodsMovs_AllPrefixesDirectionsAndSides(int bytes)
        {
            bool[] addressSizes = _rig.Host.Low ? new[] { false, true } : new[] { false };
            foreach (Kind kind in new[] { Kind.Stos, Kind.Lods, Kind.Movs })
                foreach (byte rep in new byte[] { 0, 0xF3, 0xF2 })
                    foreach (bool down in new[] { false, true })
                        foreach (bool a32 in addressSizes)
                        {
                            // Which side is RAM: none, or for MOVS the source (page 1) or the destination (page 2).
                            var configs = kind == Kind.Movs ? new[] { new int[0], new[] { 1 }, new[] { 2 } } : new[] { new int[0] };
                            foreach (int[] ram in configs)
                                foreach (ulong count in rep == 0 ? new ulong[] { 1 } : Counts)
                                    Case(kind, bytes, rep, down, a32, ram, count);
                        }
            _rig.SetRam();
        }

        [Fact]
        public void ThirtyTwoBitAddressing_IsAvailableOnThisHost()
        {
            // The data pages were mapped below 4 GiB, so the 67h cases above really ran.
            Assert.True(_rig.Host.Low);
        }

        [Fact]
        public void SegmentOverrides_OnTheSource()
        {
            // 64-bit mode: ES/CS/SS/DS overrides mean base 0; FS has the host thread's base (read through fs:[0],
            // the TCB's self pointer in the x86-64 ABI).
            foreach (byte seg in new byte[] { 0x26, 0x2E, 0x36, 0x3E })
            {
                Case(Kind.Movs, 4, 0xF3, false, false, new int[0], 9, seg);
                Case(Kind.Lods, 2, 0, false, false, new int[0], 1, seg);
            }
            ulong fsBase = HostFsBase();
            _rig.T.State[GuestRegister.FsBase] = fsBase;
            Case(Kind.Movs, 8, 0xF3, false, false, new int[0], 5, 0x64, fsBase);
            Case(Kind.Lods, 1, 0xF3, true, false, new int[0], 3, 0x64, fsBase);
            // STOS ignores overrides: ES always (SDM Vol. 2B "STOS").
            Case(Kind.Stos, 4, 0xF3, false, false, new int[0], 4, 0x64);
            _rig.T.State[GuestRegister.FsBase] = 0;
        }

        private ulong HostFsBase()
        {
            var probe = new HostCpu();
            probe.Load(new byte[] { 0x64, 0x48, 0x8B, 0x04, 0x25, 0, 0, 0, 0 });   // mov rax, fs:[0]
            var ctx = new ulong[HostCpu.Slots];
            ctx[HostCpu.FlagsSlot] = 2;
            probe.Run(ctx);
            probe.Dispose();
            Assert.NotEqual(0UL, ctx[0]);
            return ctx[0];
        }
    }
}
