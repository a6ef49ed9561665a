using System;
using Hv.Virt;
using Hv.Virt.Caps;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>CR accesses the backend finishes itself (host-owned CR0/CR4 bits, CR3 exiting) and the CR8 ones it hands to the core.</summary>
    public unsafe class CrAccessTests
    {
        private static ulong CrQ(int cr, CrAccessType type, GuestRegister gpr, ushort lmsw = 0)
            => (uint)cr | ((ulong)type << 4) | ((ulong)gpr << 8) | ((ulong)lmsw << 16);

        [Fact]
        public void SettingNe_UpdatesTheShadowAndSkipsTheInstruction()
        {
            using var r = new ExitRig();
            r.Regs->Gpr[(int)GuestRegister.Rax] = 0x31;
            r.Set(VmcsField.GuestRip, 0x10_0000).Exit(VmxExitReason.CrAccess, CrQ(0, CrAccessType.MovToCr, GuestRegister.Rax), 3);

            Assert.True(r.Decode(out _));
            Assert.Equal(0x31ul, r.V.Peek(VmcsField.Cr0ReadShadow));
            Assert.Equal(0x31ul, r.State.Get(GuestRegister.Cr0));
            Assert.Equal(0x10_0003ul, r.State.Get(GuestRegister.Rip));
            Assert.Equal(0x10_0003ul, r.Enter().V.Peek(VmcsField.GuestRip));   // written back at the entry
            Assert.Empty(r.Rig.Check());
        }

        [Fact]
        public void PagingWithLme_EntersIa32eMode()
        {
            using var r = new ExitRig();
            r.State.Set(GuestRegister.Cr4, (ulong)Cr4.PAE);
            r.State.Set(GuestRegister.Efer, (ulong)Efer.LME);
            r.State.Set(GuestRegister.Cr3, 0x1000);
            r.Regs->Gpr[(int)GuestRegister.Rbx] = 0x8000_0031;
            r.Exit(VmxExitReason.CrAccess, CrQ(0, CrAccessType.MovToCr, GuestRegister.Rbx), 3);

            Assert.True(r.Decode(out _));
            Assert.True(r.State.LongMode);
            Assert.True((r.V.Peek(VmcsField.EntryControls) & (uint)EntryControls.Ia32eModeGuest) != 0);
            Assert.Equal((ulong)(Efer.LME | Efer.LMA), r.V.Peek(VmcsField.GuestIa32Efer));
            Assert.Empty(r.Rig.Check());
        }

        [Fact]
        public void PaePaging_LoadsThePdptesFromGuestMemory()
        {
            using var r = new ExitRig();
            r.State.Set(GuestRegister.Cr4, (ulong)Cr4.PAE);
            r.State.Set(GuestRegister.Cr3, 0x5000);
            Span<byte> pdpt = stackalloc byte[32];
            pdpt.Clear();
            BitConverter.TryWriteBytes(pdpt, 0x6001ul);
            BitConverter.TryWriteBytes(pdpt.Slice(24), 0x9001ul);
            r.Rig.Memory.Write(0x4000_5000, pdpt); // RAM at gpa 0 is host 0x4000_0000
            r.Regs->Gpr[(int)GuestRegister.Rax] = 0x8000_0031;
            r.Exit(VmxExitReason.CrAccess, CrQ(0, CrAccessType.MovToCr, GuestRegister.Rax), 3);

            Assert.True(r.Decode(out _));
            Assert.Equal(0x6001ul, r.V.Peek(VmcsField.GuestPdpte0));
            Assert.Equal(0x9001ul, r.V.Peek(VmcsField.GuestPdpte3));
            Assert.False(r.State.LongMode);
            Assert.Empty(r.Rig.Check());
        }

        [Fact]
        public void ReservedPdpteBits_InjectGp()
        {
            using var r = new ExitRig();
            r.State.Set(GuestRegister.Cr4, (ulong)Cr4.PAE);
            r.State.Set(GuestRegister.Cr3, 0x5000);
            r.Rig.Memory.Write(0x4000_5000, BitConverter.GetBytes(0x6007ul)); // bits 2:1 reserved
            r.Regs->Gpr[(int)GuestRegister.Rax] = 0x8000_0031;
            r.Set(VmcsField.GuestRip, 0x10_0000).Exit(VmxExitReason.CrAccess, CrQ(0, CrAccessType.MovToCr, GuestRegister.Rax), 3);

            Assert.True(r.Decode(out _));
            AssertGp(r);
            Assert.Equal(0x11ul, r.V.Peek(VmcsField.Cr0ReadShadow)); // unchanged
        }

        [Theory]
        [InlineData(0x1_0000_0011ul)]  // bits 63:32
        [InlineData(0x8000_0030ul)]    // PG without PE
        [InlineData(0x2000_0031ul)]    // NW without CD
        public void InvalidCr0_InjectsGp(ulong value)
        {
            using var r = new ExitRig();
            r.State.Set(GuestRegister.Efer, 0);
            r.Regs->Gpr[(int)GuestRegister.Rsi] = value;
            r.Exit(VmxExitReason.CrAccess, CrQ(0, CrAccessType.MovToCr, GuestRegister.Rsi), 3);
            // In 32-bit code MOV CR0 takes the low 32 bits; bits 63:32 can only come from 64-bit code.
            if (value >> 32 != 0) SetLongCode(r);

            Assert.True(r.Decode(out _));
            AssertGp(r);
        }

        [Fact]
        public void SettingVmxe_InjectsGp()
        {
            using var r = new ExitRig();
            r.Regs->Gpr[(int)GuestRegister.Rax] = (ulong)Cr4.VMXE;
            r.Set(VmcsField.GuestRip, 0x10_0000).Exit(VmxExitReason.CrAccess, CrQ(4, CrAccessType.MovToCr, GuestRegister.Rax), 3);

            Assert.True(r.Decode(out _));
            AssertGp(r);
            Assert.Equal(0x10_0000ul, r.Enter().V.Peek(VmcsField.GuestRip)); // a fault does not complete the instruction
            Assert.Equal(0ul, r.State.Get(GuestRegister.Cr4));
            Assert.Empty(r.Rig.Check());
        }

        [Fact]
        public void Cr8_GoesToTheCore()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.CrAccess, CrQ(8, CrAccessType.MovFromCr, GuestRegister.Rbx), 4);

            Assert.False(r.Decode(out VmExit e));
            Assert.Equal(VmExitKind.CrAccess, e.Kind);
            Assert.Equal(8, e.ControlRegister);
            Assert.Equal(AccessKind.Read, e.Access);
            Assert.Equal(GuestRegister.Rbx, new CrAccessQualification(e.Qualification).Gpr);
        }

        [Fact]
        public void Cr3Exiting_IsServedHere()
        {
            using var r = new ExitRig();
            r.Regs->Gpr[(int)GuestRegister.R9] = 0x7000;
            r.Exit(VmxExitReason.CrAccess, CrQ(3, CrAccessType.MovToCr, GuestRegister.R9), 3);
            Assert.True(r.Decode(out _));
            Assert.Equal(0x7000ul, r.V.Peek(VmcsField.GuestCr3));

            r.Exit(VmxExitReason.CrAccess, CrQ(3, CrAccessType.MovFromCr, GuestRegister.Rdx), 3);
            Assert.True(r.Decode(out _));
            Assert.Equal(0x7000ul, r.Regs->Gpr[(int)GuestRegister.Rdx]);
        }

        [Fact]
        public void Lmsw_CannotClearPe()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.CrAccess, CrQ(0, CrAccessType.Lmsw, GuestRegister.Rax, 0x000E), 3);

            Assert.True(r.Decode(out _));
            Assert.Equal(0x1Ful, r.V.Peek(VmcsField.Cr0ReadShadow)); // PE kept, MP/EM/TS set
        }

        private static void SetLongCode(ExitRig r)
        {
            r.State.Set(GuestRegister.Cr4, (ulong)Cr4.PAE);
            r.V.Write(VmcsField.GuestCr0, r.V.Peek(VmcsField.GuestCr0) | (ulong)Cr0.PG);
            r.V.Write(VmcsField.Cr0ReadShadow, r.V.Peek(VmcsField.Cr0ReadShadow) | (ulong)Cr0.PG);
            r.State.Set(GuestRegister.Efer, (ulong)(Efer.LME | Efer.LMA));
            r.V.Write(VmcsField.GuestCsAccessRights, 0xA09B);
        }

        private static void AssertGp(ExitRig r)
        {
            var info = new InterruptionInfo((uint)r.V.Peek(VmcsField.EntryInterruptionInfo));
            Assert.True(info.Valid);
            Assert.Equal(InterruptionType.HardwareException, info.Type);
            Assert.Equal(13, info.Vector);
            Assert.True(info.HasErrorCode);
            Assert.Equal(0ul, r.V.Peek(VmcsField.EntryExceptionErrorCode));
        }
    }
}
