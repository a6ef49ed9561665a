using System;
using System.Runtime.InteropServices;
using Hv.Virt;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>A set-up vCPU (fake VMCS, native register area) plus a decoder, to play VM exits at.</summary>
    internal sealed unsafe class ExitRig : IDisposable
    {
        public readonly VmxTestRig Rig;
        public readonly VmxGuestRegisters* Regs;
        public readonly VmxVcpuState State;
        public readonly VmxExitDecoder Decoder;
        public readonly FakePlatform Platform = new FakePlatform();
        public readonly GuestMemory Memory;
        public FakeVmcs V => Rig.Vmcs;

        public const int PhysicalAddressBits = 40;

        /// <summary>Puts guest code (or data) at a guest-physical address in RAM.</summary>
        public ExitRig Poke(ulong gpa, params byte[] bytes)
        {
            Assert.True(Memory.TryTranslate(gpa, (ulong)bytes.Length, out ulong hpa));
            Rig.Memory.Write(hpa, bytes);
            return this;
        }

        public ExitRig(StartMode mode = StartMode.ProtectedFlat32, bool server = false)
        {
            Rig = server ? VmxTestRig.Server(mode) : VmxTestRig.Bochs(mode);
            Regs = (VmxGuestRegisters*)NativeMemory.AlignedAlloc((nuint)sizeof(VmxGuestRegisters), 64);
            VmcsSetup.InitializeRegisters(Regs, 0x2BAD_B002, 0x9500);
            State = new VmxVcpuState(Rig.Vmcs, Regs, Rig.Controls, Platform);
            if (!GuestMemory.TryCreate(Rig.Ram, Rig.Memory, out Memory, out string error)) throw new InvalidOperationException(error);
            Decoder = new VmxExitDecoder(State, Rig.Caps.Basic.InsOutsInfo, Memory, PhysicalAddressBits);
        }

        /// <summary>Plays the CPU: fills the exit-information fields for <paramref name="reason"/>.</summary>
        public ExitRig Exit(VmxExitReason reason, ulong qualification = 0, uint length = 0, uint raw = 0)
        {
            V.SetExitInfo(VmcsField.ExitReason, raw != 0 ? raw : (uint)reason);
            V.SetExitInfo(VmcsField.ExitQualification, qualification);
            V.SetExitInfo(VmcsField.ExitInstructionLength, length);
            V.SetExitInfo(VmcsField.IdtVectoringInfo, 0);
            V.SetExitInfo(VmcsField.ExitInterruptionInfo, 0);
            return this;
        }

        public ExitRig Set(VmcsField f, ulong value) { V.SetExitInfo(f, value); return this; }

        /// <summary>Plays the end of the world switch (Asm/vmx.asm, hv_vmx_exit: exit reason, length, RIP, interruptibility saved), then decodes.</summary>
        public bool Decode(out VmExit exit)
        {
            Regs->ExitReason = V.Peek(VmcsField.ExitReason);
            Regs->ExitInstructionLength = V.Peek(VmcsField.ExitInstructionLength);
            Regs->Rip = V.Peek(VmcsField.GuestRip);
            Regs->Interruptibility = V.Peek(VmcsField.GuestInterruptibility);
            exit = default;
            return Decoder.Decode(ref exit);
        }

        /// <summary>Plays the start of the world switch (hv_vmx_run): a dirty RIP goes back to the VMCS.</summary>
        public ExitRig Enter()
        {
            if ((Regs->Dirty & VmxGuestRegisters.RipDirty) != 0) V.Write(VmcsField.GuestRip, Regs->Rip);
            Regs->Dirty = 0;
            return this;
        }

        public void Dispose() => NativeMemory.AlignedFree(Regs);
    }
}
