using System;
using System.Collections.Generic;
using Hv.Virt;
using Iced.Intel;
using Xunit;
using static Iced.Intel.Register;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>
    /// Every emulated form, every width, against the host CPU: edge-case and seeded random operand values,
    /// several addressing forms (base, base+disp8/32, base+index*scale, RIP-relative, moffs, REX bases),
    /// high-byte and REX registers, LOCK where allowed, operands that cross a page (MMIO/MMIO and RAM/MMIO).
    /// </summary>
    public class HostReferenceTests : IDisposable
    {
        private readonly HostReferenceRig _rig;
        private readonly Random _rng = new Random(0x5EED);

        public HostReferenceTests()
        {
            Assert.True(HostCpu.Available, "these tests need the x86-64 Linux host they are the reference on");
            _rig = new HostReferenceRig();
        }

        public void Dispose() => _rig.Dispose();

        private static readonly Register[] Gpr8 = { AL, CL, DL, AH, CH, DH, BPL, DIL, R8L, R9L, R10L, R11L, R15L };
        private static readonly Register[] Gpr16 = { AX, CX, DX, BP, DI, R8W, R9W, R10W, R11W, R15W };
        private static readonly Register[] Gpr32 = { EAX, ECX, EDX, EBP, EDI, R8D, R9D, R10D, R11D, R15D };
        private static readonly Register[] Gpr64 = { RAX, RCX, RDX, RBP, RDI, R8, R9, R10, R11, R15 };
        private static readonly Register[] Bases = { RBX, R12, R13 };

        private static Register[] Gprs(int bytes) => bytes == 1 ? Gpr8 : bytes == 2 ? Gpr16 : bytes == 4 ? Gpr32 : Gpr64;

        private static Code C(string name)
        {
            Assert.True(Enum.TryParse(name, out Code c), "no Iced code " + name);
            return c;
        }

        private static ulong Mask(int bytes) => bytes == 8 ? ulong.MaxValue : (1UL << (8 * bytes)) - 1;

        /// <summary>0, 1, -1, the sign boundaries, the nibble carry (AF) boundary, alternating bits.</summary>
        private static ulong[] Edges(int bytes)
        {
            ulong m = Mask(bytes), sign = 1UL << (8 * bytes - 1);
            var set = new List<ulong>();
            foreach (ulong v in new ulong[] { 0, 1, 2, 0x0F, 0x10, 0x7F, 0x80, 0xFF, sign - 1, sign, sign + 1, m - 1, m, 0x5555_5555_5555_5555, 0xAAAA_AAAA_AAAA_AAAA })
                if (!set.Contains(v & m)) set.Add(v & m);
            return set.ToArray();
        }

        private ulong Random64() => ((ulong)(uint)_rng.Next() << 33) ^ ((ulong)(uint)_rng.Next() << 11) ^ (ulong)(uint)_rng.Next();

        /// <summary>Value pairs: all edge pairs, then random ones.</summary>
        private IEnumerable<(ulong A, ulong B)> Pairs(int bytes, int randoms)
        {
            ulong[] e = Edges(bytes);
            foreach (ulong a in e)
                foreach (ulong b in e)
                    yield return (a, b);
            for (int i = 0; i < randoms; i++)
                yield return (Random64() & Mask(bytes), Random64() & Mask(bytes));
        }

        /// <summary>One case's inputs: random data and registers, a memory operand somewhere in the data pages.</summary>
        private sealed class Setup
        {
            public byte[] Data;
            public ulong[] Regs;
            public ulong Flags;
            public MemoryOperand Mem;
            public ulong Address;
            public Register Base, Index;
        }

        private Setup NewSetup(int bytes, bool allowRipRelative = true, int pageCross = -1)
        {
            var s = new Setup { Data = new byte[HostCpu.DataPages * HostCpu.PageSize], Regs = new ulong[16] };
            _rng.NextBytes(s.Data);
            for (int r = 0; r < 16; r++) s.Regs[r] = Random64();
            s.Regs[(int)GuestRegister.Rsp] = 0;
            s.Flags = (ulong)_rng.Next() & 0x8D5;                  // random status flags in, DF clear
            // The operand: within page 1, or straddling pages 1 and 2 (pageCross), never near the data's ends.
            ulong offset = pageCross >= 0 ? (ulong)(2 * HostCpu.PageSize - pageCross) : (ulong)(HostCpu.PageSize + _rng.Next(0, HostCpu.PageSize - 8));
            s.Address = _rig.Data + offset;
            int shape = _rng.Next(allowRipRelative ? 5 : 4);
            s.Base = Bases[_rng.Next(Bases.Length)];
            s.Index = None;
            long disp = shape == 1 ? _rng.Next(-128, 128) : shape == 2 ? _rng.Next(-0x800, 0x800) : 0;
            switch (shape)
            {
                case 3:
                    s.Index = _rng.Next(2) == 0 ? RSI : R14;
                    int scale = 1 << _rng.Next(4);
                    ulong index = (ulong)_rng.Next(0, 16);
                    disp = _rng.Next(-64, 64);
                    s.Regs[(int)Gpr(s.Index)] = index;
                    s.Regs[(int)Gpr(s.Base)] = s.Address - index * (ulong)scale - (ulong)disp;
                    s.Mem = new MemoryOperand(s.Base, s.Index, scale, disp, disp == 0 ? 0 : 1);
                    break;
                case 4:
                    s.Base = None;
                    s.Mem = new MemoryOperand(RIP, (long)s.Address, 8);
                    break;
                default:
                    s.Regs[(int)Gpr(s.Base)] = s.Address - (ulong)disp;
                    s.Mem = new MemoryOperand(s.Base, disp, disp == 0 ? 0 : disp >= -128 && disp < 128 ? 1 : 8);
                    break;
            }
            return s;
        }

        private static GuestRegister Gpr(Register r)
        {
            Assert.True(Hv.Virt.Mmio.MmioRegisters.TryMap(r, out var g));
            return g.Register;
        }

        /// <summary>A register operand that is not part of the address and encodable with the address (no AH..DH with REX).</summary>
        private Register PickRegister(Setup s, int bytes, bool rexInUse)
        {
            Register[] set = Gprs(bytes);
            while (true)
            {
                Register r = set[_rng.Next(set.Length)];
                GuestRegister g = Gpr(r);
                if (s.Base != None && g == Gpr(s.Base)) continue;
                if (s.Index != None && g == Gpr(s.Index)) continue;
                if ((r >= AH && r <= BH) && (rexInUse || bytes != 1)) continue;
                return r;
            }
        }

        private void Store(Setup s, ulong value, int bytes)
        {
            int offset = (int)(s.Address - _rig.Data);
            for (int i = 0; i < bytes; i++) s.Data[offset + i] = (byte)(value >> (8 * i));
        }

        private static void SetRegister(Setup s, Register r, ulong value)
        {
            Assert.True(Hv.Virt.Mmio.MmioRegisters.TryMap(r, out var g));
            s.Regs[(int)g.Register] = Hv.Virt.Mmio.MmioRegisters.Merge(s.Regs[(int)g.Register], g.Bytes, g.HighByte, value);
        }

        private bool Rex(Setup s) => (s.Base >= R8 && s.Base <= R15) || (s.Index >= R8 && s.Index <= R15);

        private void Run(Setup s, in Instruction ins, int bytes)
        {
            byte[] code = HostCpu.Encode(ins, _rig.Host.InstructionAddress);
            ulong address = s.Address;
            _rig.Compare(code, s.Regs, s.Flags, s.Data, _ => FirstMmio(address, bytes));
        }

        /// <summary>The first byte of [address, address + bytes) that the guest sees as MMIO.</summary>
        private ulong FirstMmio(ulong address, int bytes)
        {
            for (int i = 0; i < bytes; i++)
                if (_rig.Gpa(address + (ulong)i) >= HostReferenceRig.MmioGpa) return address + (ulong)i;
            return address;
        }

        private static int Bits(int bytes) => bytes * 8;
        private static readonly int[] Widths = { 1, 2, 4, 8 };

        public static IEnumerable<object[]> AluOps() =>
            new[] { "Add", "Or", "Adc", "Sbb", "And", "Sub", "Xor", "Cmp" }.Select1();

        [Theory]
        [MemberData(nameof(AluOps))]
        public void Alu_MemoryDestinationAndRegisterDestination(string op)
        {
            foreach (int bytes in Widths)
            {
                int w = Bits(bytes);
                foreach (var (a, b) in Pairs(bytes, 24))
                {
                    // op r/m, r
                    Setup s = NewSetup(bytes);
                    Register reg = PickRegister(s, bytes, Rex(s));
                    Store(s, a, bytes);
                    SetRegister(s, reg, b);
                    var ins = Instruction.Create(C(op + "_rm" + w + "_r" + w), s.Mem, reg);
                    ins.HasLockPrefix = op != "Cmp" && _rng.Next(4) == 0;
                    Run(s, ins, bytes);

                    // op r, r/m
                    s = NewSetup(bytes);
                    reg = PickRegister(s, bytes, Rex(s));
                    Store(s, b, bytes);
                    SetRegister(s, reg, a);
                    Run(s, Instruction.Create(C(op + "_r" + w + "_rm" + w), reg, s.Mem), bytes);
                }
            }
        }

        [Theory]
        [MemberData(nameof(AluOps))]
        public void Alu_Immediates(string op)
        {
            foreach (int bytes in Widths)
            {
                int w = Bits(bytes);
                foreach (var (a, b) in Pairs(bytes, 16))
                {
                    // op r/m, imm (imm32 sign-extended for 64-bit operands)
                    Setup s = NewSetup(bytes);
                    Store(s, a, bytes);
                    Code full = C(op + "_rm" + w + "_imm" + (w == 64 ? 32 : w));
                    var ins = bytes == 8 ? Instruction.Create(full, s.Mem, (int)(uint)b) : Instruction.Create(full, s.Mem, (uint)(b & Mask(bytes)));
                    ins.HasLockPrefix = op != "Cmp" && _rng.Next(4) == 0;
                    Run(s, ins, bytes);
                    if (bytes == 1) continue;
                    // op r/m, imm8 (83 /x: sign-extended)
                    s = NewSetup(bytes);
                    Store(s, a, bytes);
                    Run(s, Instruction.Create(C(op + "_rm" + w + "_imm8"), s.Mem, (int)(sbyte)b), bytes);
                }
            }
        }

        [Fact]
        public void Test_RegisterAndImmediate()
        {
            foreach (int bytes in Widths)
            {
                int w = Bits(bytes);
                foreach (var (a, b) in Pairs(bytes, 24))
                {
                    Setup s = NewSetup(bytes);
                    Register reg = PickRegister(s, bytes, Rex(s));
                    Store(s, a, bytes);
                    SetRegister(s, reg, b);
                    Run(s, Instruction.Create(C("Test_rm" + w + "_r" + w), s.Mem, reg), bytes);

                    s = NewSetup(bytes);
                    Store(s, a, bytes);
                    Code imm = C("Test_rm" + w + "_imm" + (w == 64 ? 32 : w));
                    Run(s, bytes == 8 ? Instruction.Create(imm, s.Mem, (int)(uint)b) : Instruction.Create(imm, s.Mem, (uint)b), bytes);
                }
            }
        }

        public static IEnumerable<object[]> BitOps() => new[] { "Bt", "Bts", "Btr", "Btc" }.Select1();

        [Theory]
        [MemberData(nameof(BitOps))]
        public void BitTests_ImmediateAndRegisterOffsets(string op)
        {
            foreach (int bytes in new[] { 2, 4, 8 })
            {
                int w = Bits(bytes);
                var offsets = new List<long> { 0, 1, w - 1, w, w + 1, -1, -w, -w - 1, 3 * w + 5, -3 * w - 5 };
                for (int i = 0; i < 30; i++) offsets.Add(_rng.Next(-6000, 6000));
                foreach (long off in offsets)
                {
                    ulong a = Random64() & Mask(bytes);
                    // Register offset: the operand moves by whole operands, EA + size * floor(offset / width).
                    Setup s = NewSetup(bytes, allowRipRelative: false);
                    Register reg = PickRegister(s, bytes, Rex(s));
                    long units = off >= 0 ? off / w : -((-off + w - 1) / w);
                    ulong target = s.Address + (ulong)(units * bytes);
                    int at = (int)(target - _rig.Data);
                    for (int k = 0; k < bytes; k++) s.Data[at + k] = (byte)(a >> (8 * k));
                    SetRegister(s, reg, (ulong)off & Mask(bytes));
                    var ins = Instruction.Create(C(op + "_rm" + w + "_r" + w), s.Mem, reg);
                    ins.HasLockPrefix = op != "Bt" && _rng.Next(3) == 0;
                    byte[] code = HostCpu.Encode(ins, _rig.Host.InstructionAddress);
                    _rig.Compare(code, s.Regs, s.Flags, s.Data, _ => target);

                    // Immediate offset: modulo the width, no address change.
                    s = NewSetup(bytes);
                    Store(s, a, bytes);
                    Run(s, Instruction.Create(C(op + "_rm" + w + "_imm8"), s.Mem, (int)(off & 0xFF)), bytes);
                }
            }
        }

        [Fact]
        public void Xchg_AllWidths()
        {
            foreach (int bytes in Widths)
            {
                int w = Bits(bytes);
                foreach (var (a, b) in Pairs(bytes, 8))
                {
                    Setup s = NewSetup(bytes);
                    Register reg = PickRegister(s, bytes, Rex(s));
                    Store(s, a, bytes);
                    SetRegister(s, reg, b);
                    var ins = Instruction.Create(C("Xchg_rm" + w + "_r" + w), s.Mem, reg);
                    ins.HasLockPrefix = _rng.Next(2) == 0;
                    Run(s, ins, bytes);
                }
            }
        }

        public static IEnumerable<object[]> UnaryOps() => new[] { "Inc", "Dec", "Not", "Neg" }.Select1();

        [Theory]
        [MemberData(nameof(UnaryOps))]
        public void Unary_AllWidths(string op)
        {
            foreach (int bytes in Widths)
            {
                int w = Bits(bytes);
                foreach (ulong a in Edges(bytes))
                    for (int rep = 0; rep < 4; rep++)
                    {
                        Setup s = NewSetup(bytes);
                        Store(s, rep == 3 ? Random64() & Mask(bytes) : a, bytes);
                        var ins = Instruction.Create(C(op + "_rm" + w), s.Mem);
                        ins.HasLockPrefix = rep == 1;
                        Run(s, ins, bytes);
                    }
            }
        }

        [Fact]
        public void Mov_LoadsStoresImmediatesAllWidths()
        {
            foreach (int bytes in Widths)
            {
                int w = Bits(bytes);
                foreach (ulong a in Edges(bytes))
                {
                    Setup s = NewSetup(bytes);
                    Register reg = PickRegister(s, bytes, Rex(s));
                    Store(s, Random64(), bytes);
                    SetRegister(s, reg, a);
                    Run(s, Instruction.Create(C("Mov_rm" + w + "_r" + w), s.Mem, reg), bytes);

                    s = NewSetup(bytes);
                    reg = PickRegister(s, bytes, Rex(s));
                    Store(s, a, bytes);
                    Run(s, Instruction.Create(C("Mov_r" + w + "_rm" + w), reg, s.Mem), bytes);

                    s = NewSetup(bytes);
                    Code imm = C("Mov_rm" + w + "_imm" + (w == 64 ? 32 : w));
                    Run(s, bytes == 8 ? Instruction.Create(imm, s.Mem, (int)(uint)a) : Instruction.Create(imm, s.Mem, (uint)a), bytes);
                }
            }
        }

        [Fact]
        public void Mov_Moffs_AllWidths()
        {
            string[] acc = { "AL", "AX", "EAX", "RAX" };
            Register[] accReg = { AL, AX, EAX, RAX };
            for (int k = 0; k < 4; k++)
            {
                int bytes = 1 << k, w = Bits(bytes);
                for (int i = 0; i < 8; i++)
                {
                    Setup s = NewSetup(bytes);
                    var mem = new MemoryOperand(None, (long)s.Address, 8);
                    Run(s, Instruction.Create(C("Mov_" + acc[k] + "_moffs" + w), accReg[k], mem), bytes);
                    s = NewSetup(bytes);
                    mem = new MemoryOperand(None, (long)s.Address, 8);
                    Run(s, Instruction.Create(C("Mov_moffs" + w + "_" + acc[k]), mem, accReg[k]), bytes);
                }
            }
        }

        [Fact]
        public void MovzxMovsxMovsxd_AllCombinations()
        {
            var forms = new (string Name, int Dest, int Src)[]
            {
                ("Movzx", 16, 8), ("Movzx", 32, 8), ("Movzx", 64, 8), ("Movzx", 16, 16), ("Movzx", 32, 16), ("Movzx", 64, 16),
                ("Movsx", 16, 8), ("Movsx", 32, 8), ("Movsx", 64, 8), ("Movsx", 16, 16), ("Movsx", 32, 16), ("Movsx", 64, 16),
                ("Movsxd", 16, 16), ("Movsxd", 32, 32), ("Movsxd", 64, 32),
            };
            foreach (var f in forms)
                foreach (ulong a in Edges(f.Src / 8))
                {
                    Setup s = NewSetup(f.Src / 8);
                    Register reg = PickRegister(s, f.Dest / 8, Rex(s));
                    Store(s, a, f.Src / 8);
                    Run(s, Instruction.Create(C(f.Name + "_r" + f.Dest + "_rm" + f.Src), reg, s.Mem), f.Src / 8);
                }
        }

        [Fact]
        public void OperandsCrossingAPage_MmioMmio_And_MmioRam()
        {
            foreach (int ramPage in new[] { -1, 2, 1 })
            {
                if (ramPage < 0) _rig.SetRam(); else _rig.SetRam(ramPage);
                foreach (int bytes in new[] { 2, 4, 8 })
                {
                    int w = Bits(bytes);
                    for (int cross = 1; cross < bytes; cross++)
                    {
                        Setup s = NewSetup(bytes, allowRipRelative: false, pageCross: cross);
                        Register reg = PickRegister(s, bytes, Rex(s));
                        Store(s, Random64(), bytes);
                        SetRegister(s, reg, Random64());
                        Run(s, Instruction.Create(C("Add_rm" + w + "_r" + w), s.Mem, reg), bytes);

                        s = NewSetup(bytes, allowRipRelative: false, pageCross: cross);
                        reg = PickRegister(s, bytes, Rex(s));
                        Store(s, Random64(), bytes);
                        Run(s, Instruction.Create(C("Mov_r" + w + "_rm" + w), reg, s.Mem), bytes);
                    }
                }
            }
            _rig.SetRam();
        }
    }

    internal static class TheoryData
    {
        public static IEnumerable<object[]> Select1(this string[] items)
        {
            foreach (string s in items) yield return new object[] { s };
        }
    }
}
