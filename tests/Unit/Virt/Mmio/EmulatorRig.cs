using Hv.Virt;
using Hv.Virt.Mmio;
using Xunit;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>An emulator over a 4 MiB test VM and a fake MMIO window at MmioBase, in a chosen CPU mode.</summary>
    internal sealed class EmulatorRig
    {
        public const ulong MmioBase = 0xFEC0_0000;
        public const int MmioSize = 0x2000;

        public readonly TestVm T = new TestVm(ramBytes: 0x40_0000);
        public readonly FakeMmioBus Bus = new FakeMmioBus(MmioBase, MmioSize);
        public readonly MmioEmulator Emulator = new MmioEmulator();
        public MmioContext Ctx;

        public FakeVcpu S => T.State;

        public EmulatorRig Poke(ulong gpa, params byte[] bytes)
        {
            Assert.True(T.Vm.Memory.Write(gpa, bytes));
            return this;
        }

        public byte[] Peek(ulong gpa, int length)
        {
            var b = new byte[length];
            Assert.True(T.Vm.Memory.Read(gpa, b));
            return b;
        }

        /// <summary>Real mode (CR0.PE = 0): 16-bit code at csBase + ip.</summary>
        public EmulatorRig Real(ulong csBase, ulong ip)
        {
            S[GuestRegister.Cr0] = 0;
            S.LongMode = false;
            S.Bitness = 0;
            S[GuestRegister.CsBase] = csBase;
            S[GuestRegister.Rip] = ip;
            return this;
        }

        /// <summary>Protected mode without paging, 32-bit code segment, flat.</summary>
        public EmulatorRig Flat32(ulong eip)
        {
            S[GuestRegister.Cr0] = (ulong)Cr0Bits.ProtectionEnable;
            S.LongMode = false;
            S.Bitness = 32;
            S[GuestRegister.Rip] = eip;
            return this;
        }

        /// <summary>64-bit mode with 4-level tables at 1 MiB (the caller maps code and data).</summary>
        public GuestPageTables Long64(ulong rip)
        {
            var pt = new GuestPageTables(T.Vm.Memory, 0x10_0000);
            pt.LongMode(S);
            S.Bitness = 64;
            S[GuestRegister.Rip] = rip;
            return pt;
        }

        public MmioResult Run(ulong gpa, AccessKind access = AccessKind.Read)
        {
            Ctx = new MmioContext
            {
                State = S, Memory = T.Vm.Memory, Bus = Bus, PhysicalAddressBits = 46,
                GuestPhysical = gpa, Access = access,
            };
            return Emulator.Emulate(ref Ctx);
        }

        /// <summary>Fills the MMIO window with <paramref name="b"/>.</summary>
        public EmulatorRig Fill(byte b)
        {
            for (int i = 0; i < Bus.Bytes.Length; i++) Bus.Bytes[i] = b;
            return this;
        }

        public ulong Mmio(int offset, int size) => Hv.Virt.Bytes.Load(new System.ReadOnlySpan<byte>(Bus.Bytes, offset, size));
    }
}
