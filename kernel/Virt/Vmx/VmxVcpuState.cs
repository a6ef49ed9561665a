using System.Runtime.CompilerServices;
using Hv.Virt.Caps;

namespace Hv.Virt.Vmx
{
    /// <summary>
    /// <see cref="IVcpuState"/> over the VMCS and the world switch's save area. CR0/CR4 read and
    /// write the guest's own view (read shadow for the bits the host owns, SDM Vol. 3C
    /// "Guest/Host Masks and Read Shadows"); injection uses the VM-entry interruption-information
    /// field (SDM Vol. 3C "VM-Entry Controls for Event Injection"). Never allocates.
    /// </summary>
    public sealed unsafe partial class VmxVcpuState : IVcpuState
    {
        private const Interruptibility ShadowBlocking = Interruptibility.BlockingBySti | Interruptibility.BlockingByMovSs;
        private readonly IVmcs _v;
        private readonly VmxGuestRegisters* _r;
        private readonly VmxControlSet _set;
        private PrimaryProcBasedControls _primary;
        private bool _injectionPending;
        private ulong _xcr0 = 1;
        private bool _exitStateKnown;   // the save area's RIP and interruptibility are current (see Rip)

        /// <summary>Length of the instruction that caused the last exit (software-interrupt injection needs it).</summary>
        public byte LastInstructionLength;

        public VmxVcpuState(IVmcs vmcs, VmxGuestRegisters* regs, in VmxControlSet set, IVmxPlatform platform)
        {
            _platform = platform;
            _v = vmcs;
            _r = regs;
            _set = set;
            _primary = set.Primary;
        }

        public IVmcs Vmcs => _v;
        public VmxControlSet Controls => _set;
        public VmxGuestRegisters* Registers => _r;
        public bool InjectionPending => _injectionPending;

        // The GPR paths are split from the rest so that the common case (the exit handlers' register
        // operands) is a bounds check and a load, without the switch's frame.
        public ulong Get(GuestRegister r)
        {
            if ((uint)r < 16 && r != GuestRegister.Rsp) return _r->Gpr[(int)r];
            return GetOther(r);
        }

        public void Set(GuestRegister r, ulong value)
        {
            if ((uint)r < 16 && r != GuestRegister.Rsp) { _r->Gpr[(int)r] = value; return; }
            SetOther(r, value);
        }

        private ulong GetOther(GuestRegister r)
        {
            switch (r)
            {
                case GuestRegister.Rsp: return _v.Read(VmcsField.GuestRsp);
                case GuestRegister.Rip: return Rip;
                case GuestRegister.Rflags: return _v.Read(VmcsField.GuestRflags);
                case GuestRegister.Cr0: return Shadowed(VmcsField.GuestCr0, VmcsField.Cr0ReadShadow, _set.Cr0Mask);
                case GuestRegister.Cr2: return _r->Cr2;
                case GuestRegister.Cr3: return _v.Read(VmcsField.GuestCr3);
                case GuestRegister.Cr4: return Shadowed(VmcsField.GuestCr4, VmcsField.Cr4ReadShadow, _set.Cr4Mask);
                case GuestRegister.Efer: return _v.Read(VmcsField.GuestIa32Efer);
                case GuestRegister.Xcr0: return _xcr0;
                default: return TryGetExtended(r, out ulong v) ? v : 0;
            }
        }

        private void SetOther(GuestRegister r, ulong value)
        {
            switch (r)
            {
                case GuestRegister.Rsp: _v.Write(VmcsField.GuestRsp, value); return;
                case GuestRegister.Rip: WriteRip(value); return;
                case GuestRegister.Rflags: _v.Write(VmcsField.GuestRflags, value | (ulong)Rflags.Reserved1); return;
                case GuestRegister.Cr0: VmcsGuestState.WriteCr0(_v, _set, value); SyncLongMode(); return;
                case GuestRegister.Cr2: _r->Cr2 = value; return;
                case GuestRegister.Cr3: _v.Write(VmcsField.GuestCr3, value); return;
                case GuestRegister.Cr4: VmcsGuestState.WriteCr4(_v, _set, value); return;
                case GuestRegister.Efer: _v.Write(VmcsField.GuestIa32Efer, value); SyncLongMode(); return;
                // XSETBV always exits; the value is kept for the core's policy. TODO(issue 4): load it
                // into XCR0 around guest entry once guests get XSAVE-managed state beyond SSE.
                case GuestRegister.Xcr0: _xcr0 = value; return;
                default: SetExtended(r, value); return;
            }
        }

        // Guest RIP and interruptibility state are cached in the save area (VmxGuestRegisters.Rip,
        // .Interruptibility): the world switch reads them at every exit, and _exitStateKnown says the
        // copies are current. It is set by OnExit (every decoded exit) and cleared by ForgetExitState,
        // which whoever writes those VMCS fields behind this class calls (the INIT/SIPI start states of
        // VmxVcpu.ApplyPending and the decoder's SIPI). While known, RIP writes stay in the save area,
        // marked dirty, and the world switch writes RIP back before the next entry; interruptibility
        // writes go to the VMCS at once. While not known (before the first exit, after a start state),
        // both are plain VMREAD/VMWRITE.
        // (The VMCS paths are separate methods so that the cached paths inline.)
        private ulong Rip
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _exitStateKnown ? _r->Rip : ReadVmcs(VmcsField.GuestRip);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void WriteRip(ulong value)
        {
            if (!_exitStateKnown) { WriteVmcs(VmcsField.GuestRip, value); return; }
            _r->Rip = value;
            _r->Dirty |= VmxGuestRegisters.RipDirty;
        }

        private uint GuestInterruptibility
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _exitStateKnown ? (uint)_r->Interruptibility : (uint)ReadVmcs(VmcsField.GuestInterruptibility);
        }

        private void WriteInterruptibility(uint value)
        {
            _v.Write(VmcsField.GuestInterruptibility, value);
            _r->Interruptibility = value;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private ulong ReadVmcs(VmcsField field) => _v.Read(field);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void WriteVmcs(VmcsField field, ulong value) => _v.Write(field, value);

        /// <summary>
        /// The VMCS's RIP and interruptibility state were just written directly (a start state): drop the
        /// cached copies, and a pending RIP write-back, which would undo the new RIP.
        /// </summary>
        public void ForgetExitState()
        {
            _exitStateKnown = false;
            _r->Dirty = 0;
        }

        public void AdvanceRip(int length)
        {
            if (!_exitStateKnown)
            {
                AdvanceRipInVmcs(length);
                return;
            }
            _r->Rip += (ulong)length;
            _r->Dirty |= VmxGuestRegisters.RipDirty;
            uint s = (uint)_r->Interruptibility;
            if ((s & (uint)ShadowBlocking) != 0)
                WriteInterruptibility(s & ~(uint)ShadowBlocking);
        }

        /// <summary>AdvanceRip without the cache (no exit since the VMCS was last written directly).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void AdvanceRipInVmcs(int length)
        {
            _v.Write(VmcsField.GuestRip, _v.Read(VmcsField.GuestRip) + (ulong)length);
            uint s = _v.Read32(VmcsField.GuestInterruptibility);
            if ((s & (uint)ShadowBlocking) != 0)
                WriteInterruptibility(s & ~(uint)ShadowBlocking);
        }

        public int Cpl => (int)new AccessRights(_v.Read32(VmcsField.GuestSsAccessRights)).Dpl;

        public bool LongMode => (_v.Read(VmcsField.GuestIa32Efer) & (ulong)Efer.LMA) != 0;

        /// <summary>Protected mode as the guest set it (CR0.PE; unrestricted guest lets it be 0).</summary>
        public bool ProtectedMode => (_v.Read(VmcsField.GuestCr0) & (ulong)Cr0.PE) != 0;

        /// <summary>"IA-32e mode guest" must equal EFER.LMA at entry (SDM "Checks on Guest Control Registers...").</summary>
        public void SyncLongMode()
        {
            bool lma = LongMode;
            uint entry = _v.Read32(VmcsField.EntryControls);
            uint want = lma ? entry | (uint)EntryControls.Ia32eModeGuest : entry & ~(uint)EntryControls.Ia32eModeGuest;
            if (want != entry) _v.Write(VmcsField.EntryControls, want);
        }

        private ulong Shadowed(VmcsField actual, VmcsField shadow, ulong mask)
            => (_v.Read(actual) & ~mask) | (_v.Read(shadow) & mask);
    }
}
