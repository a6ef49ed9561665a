using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>
    /// The reference for the emulator: runs one instruction on the host CPU (x86-64 Linux) against
    /// host memory standing in for MMIO. A code page holds a stub that loads RFLAGS and the GPRs
    /// (all but RSP) from a context, executes the instruction, stores them back and returns; the
    /// data pages are what the instruction's operands point at. The emulator's guest maps the same
    /// linear addresses (code and data) through its page tables, so registers, RIP-relative
    /// operands and instruction bytes are identical on both sides.
    /// </summary>
    internal sealed unsafe class HostCpu : IDisposable
    {
        public const int PageSize = 4096;
        public const int DataPages = 4;
        /// <summary>Context slots: the 16 GPRs in GuestRegister order, then RFLAGS.</summary>
        public const int Slots = 17, FlagsSlot = 16;

        private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr mmap(IntPtr addr, UIntPtr length, int prot, int flags, int fd, IntPtr offset);
        [DllImport("libc", SetLastError = true)]
        private static extern int mprotect(IntPtr addr, UIntPtr length, int prot);
        [DllImport("libc", SetLastError = true)]
        private static extern int munmap(IntPtr addr, UIntPtr length);

        public static bool Available =>
            RuntimeInformation.ProcessArchitecture == Architecture.X64 && RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        public readonly byte* Code;
        public readonly byte* Data;
        private readonly byte[] _prologue, _epilogue;

        public HostCpu()
        {
            // One mapping, code page first: RIP-relative operands reach the data (rel32).
            // Asked for below 4 GiB, so 32-bit addressing (67h) reaches it too; Linux takes the hint when free.
            Code = Map((1 + DataPages) * PageSize, LowHint);
            Data = Code + PageSize;
            _prologue = Assemble(Prologue);
            _epilogue = Assemble(Epilogue);
        }

        public ulong CodeAddress => (ulong)Code;
        public ulong DataAddress => (ulong)Data;
        /// <summary>Where Load puts the instruction (its RIP on both sides).</summary>
        public ulong InstructionAddress => (ulong)Code + (ulong)_prologue.Length;

        /// <summary>Puts the stub around <paramref name="instruction"/> into the code page (write, then execute-only).</summary>
        public void Load(byte[] instruction)
        {
            Protect(Code, PageSize, ProtRead | ProtWrite);
            new Span<byte>(Code, PageSize).Fill(0xCC);
            int at = 0;
            foreach (byte b in _prologue) Code[at++] = b;
            foreach (byte b in instruction) Code[at++] = b;
            foreach (byte b in _epilogue) Code[at++] = b;
            Protect(Code, PageSize, ProtRead | ProtExec);
        }

        /// <summary>A copy of the code page as loaded (for the emulator's guest RAM).</summary>
        public byte[] CodePage() => new Span<byte>(Code, PageSize).ToArray();

        public Span<byte> DataSpan => new Span<byte>(Data, DataPages * PageSize);

        /// <summary>Runs the loaded instruction with <paramref name="context"/> (Slots values) in and out.</summary>
        public void Run(ulong[] context)
        {
            if (context.Length != Slots) throw new ArgumentException("context");
            var stub = (delegate* unmanaged<ulong*, void>)Code;
            fixed (ulong* c = context)
                stub(c);
        }

        private static void Prologue(Assembler a)
        {
            a.push(rbx); a.push(rbp); a.push(r12); a.push(r13); a.push(r14); a.push(r15);
            a.push(rdi);                                           // the context, for the epilogue
            a.push(__qword_ptr[rdi + 8 * FlagsSlot]);
            a.popfq();
            a.mov(rax, __qword_ptr[rdi + 0]); a.mov(rcx, __qword_ptr[rdi + 8]); a.mov(rdx, __qword_ptr[rdi + 16]);
            a.mov(rbx, __qword_ptr[rdi + 24]); a.mov(rbp, __qword_ptr[rdi + 40]); a.mov(rsi, __qword_ptr[rdi + 48]);
            a.mov(r8, __qword_ptr[rdi + 64]); a.mov(r9, __qword_ptr[rdi + 72]); a.mov(r10, __qword_ptr[rdi + 80]);
            a.mov(r11, __qword_ptr[rdi + 88]); a.mov(r12, __qword_ptr[rdi + 96]); a.mov(r13, __qword_ptr[rdi + 104]);
            a.mov(r14, __qword_ptr[rdi + 112]); a.mov(r15, __qword_ptr[rdi + 120]);
            a.mov(rdi, __qword_ptr[rdi + 56]);
        }

        private static void Epilogue(Assembler a)
        {
            a.push(rdi);
            a.mov(rdi, __qword_ptr[rsp + 8]);
            a.mov(__qword_ptr[rdi + 0], rax); a.mov(__qword_ptr[rdi + 8], rcx); a.mov(__qword_ptr[rdi + 16], rdx);
            a.mov(__qword_ptr[rdi + 24], rbx); a.mov(__qword_ptr[rdi + 40], rbp); a.mov(__qword_ptr[rdi + 48], rsi);
            a.mov(__qword_ptr[rdi + 64], r8); a.mov(__qword_ptr[rdi + 72], r9); a.mov(__qword_ptr[rdi + 80], r10);
            a.mov(__qword_ptr[rdi + 88], r11); a.mov(__qword_ptr[rdi + 96], r12); a.mov(__qword_ptr[rdi + 104], r13);
            a.mov(__qword_ptr[rdi + 112], r14); a.mov(__qword_ptr[rdi + 120], r15);
            a.pushfq();
            a.pop(rax);
            a.mov(__qword_ptr[rdi + 8 * FlagsSlot], rax);
            a.pop(rax);                                            // the instruction's RDI
            a.mov(__qword_ptr[rdi + 56], rax);
            a.cld();                                               // the ABI wants DF = 0 on return
            a.pop(rdi);
            a.pop(r15); a.pop(r14); a.pop(r13); a.pop(r12); a.pop(rbp); a.pop(rbx);
            a.ret();
        }

        private static byte[] Assemble(Action<Assembler> body)
        {
            var a = new Assembler(64);
            body(a);
            var w = new ByteWriter();
            a.Assemble(w, 0);
            return w.Bytes.ToArray();
        }

        private const long LowHint = 0x3A00_0000;

        /// <summary>True when the data pages lie below 4 GiB (32-bit address-size forms can run on the host).</summary>
        public bool Low => (ulong)Data + DataPages * PageSize <= 0x1_0000_0000;

        private static byte* Map(int size, long hint)
        {
            // Several rigs may exist at once (test classes run in parallel): try a few low hints.
            for (int k = 0; k < 64; k++)
            {
                IntPtr want = new IntPtr(hint + k * 0x10_0000L);
                IntPtr p = mmap(want, (UIntPtr)size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, IntPtr.Zero);
                if (p == new IntPtr(-1)) throw new InvalidOperationException("mmap failed: " + Marshal.GetLastWin32Error());
                if (p == want || k == 63) return (byte*)p;
                munmap(p, (UIntPtr)size);
            }
            return null;
        }

        private static void Protect(byte* p, int size, int prot)
        {
            if (mprotect((IntPtr)p, (UIntPtr)size, prot) != 0)
                throw new InvalidOperationException("mprotect failed: " + Marshal.GetLastWin32Error());
        }

        public void Dispose()
        {
            munmap((IntPtr)Code, (UIntPtr)((1 + DataPages) * PageSize));
        }

        internal sealed class ByteWriter : CodeWriter
        {
            public readonly List<byte> Bytes = new List<byte>();
            public override void WriteByte(byte value) => Bytes.Add(value);
        }

        /// <summary>Encodes <paramref name="ins"/> as 64-bit code at <paramref name="rip"/> (RIP-relative operands need it).</summary>
        public static byte[] Encode(in Instruction ins, ulong rip, int bitness = 64)
        {
            var w = new ByteWriter();
            var e = Encoder.Create(bitness, w);
            if (!e.TryEncode(ins, rip, out _, out string error)) throw new InvalidOperationException(error + ": " + ins.Code);
            return w.Bytes.ToArray();
        }
    }
}
