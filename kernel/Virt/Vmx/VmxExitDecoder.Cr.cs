using System;

namespace Hv.Virt.Vmx
{
    // Control-register accesses (SDM Vol. 3C "Exit Qualification for Control-Register Accesses").
    // With unrestricted guest, CR0 exits only when the guest changes a bit the host owns (NE, and
    // any FIXED bits), CR4 only for VMXE or an unsupported bit, CR3 only on CPUs that force CR3
    // exiting: all finished here, as the instruction would behave natively (SDM Vol. 3A "MOV—Move
    // to/from Control Registers", #GP(0) cases). CR8 goes to the core (the virtual LAPIC's TPR).
    public sealed unsafe partial class VmxExitDecoder
    {
        private enum CrResult { Done, Fault, Unhandled }

        private const ulong PdpteReserved = 0xFFF0_0000_0000_01E6; // bits 2:1, 8:5, 63:52 of a present PDPTE

        private bool CrAccess(ref VmExit exit)
        {
            var q = new CrAccessQualification(_v.Read(VmcsField.ExitQualification));
            exit.Qualification = q.Raw;
            exit.ControlRegister = (byte)q.ControlRegister;
            exit.Access = q.Access == CrAccessType.MovFromCr ? AccessKind.Read : AccessKind.Write;
            ulong cr0 = _s.Get(GuestRegister.Cr0);
            CrResult result = CrResult.Unhandled;
            switch (q.Access)
            {
                case CrAccessType.MovToCr:
                    ulong value = ReadGpr(q.Gpr);
                    exit.IoValue = value;
                    if (q.ControlRegister == 0) result = WriteCr0(value);
                    else if (q.ControlRegister == 4) result = WriteCr4(value);
                    else if (q.ControlRegister == 3) { _v.Write(VmcsField.GuestCr3, value & ~(1ul << 63)); result = CrResult.Done; }
                    break;
                case CrAccessType.MovFromCr:
                    if (q.ControlRegister == 3) { WriteGpr(q.Gpr, _v.Read(VmcsField.GuestCr3)); result = CrResult.Done; }
                    break;
                case CrAccessType.Clts:
                    result = WriteCr0(cr0 & ~(ulong)Cr0.TS);
                    break;
                case CrAccessType.Lmsw:
                    // LMSW loads PE, MP, EM, TS from its operand but cannot clear PE.
                    result = WriteCr0((cr0 & ~0xEul) | (q.LmswSource & 0xFul));
                    break;
            }
            if (result == CrResult.Done) { _s.AdvanceRip(exit.InstructionLength); return true; }
            if (result == CrResult.Fault) { _s.Inject(EventType.HardwareException, ExceptionVector.GeneralProtection, true, 0); return true; }
            exit.Kind = VmExitKind.CrAccess;
            return false;
        }

        private CrResult WriteCr0(ulong v)
        {
            ulong old = _s.Get(GuestRegister.Cr0), cr4 = _s.Get(GuestRegister.Cr4);
            ulong efer = _v.Read(VmcsField.GuestIa32Efer), newEfer = efer;
            const ulong pg = (ulong)Cr0.PG, pe = (ulong)Cr0.PE;
            if ((v >> 32) != 0) return CrResult.Fault;
            if ((v & pg) != 0 && (v & pe) == 0) return CrResult.Fault;
            if ((v & (ulong)Cr0.NW) != 0 && (v & (ulong)Cr0.CD) == 0) return CrResult.Fault;
            bool pgOn = (v & pg) != 0 && (old & pg) == 0, pgOff = (v & pg) == 0 && (old & pg) != 0;
            if (pgOn && (efer & (ulong)Efer.LME) != 0)
            {
                // Activating IA-32e mode: needs PAE, and is refused from a 64-bit code segment.
                if ((cr4 & (ulong)Cr4.PAE) == 0 || CsLong) return CrResult.Fault;
                newEfer |= (ulong)Efer.LMA;
            }
            else if (pgOff && (efer & (ulong)Efer.LMA) != 0)
            {
                if (CsLong) return CrResult.Fault;
                newEfer &= ~(ulong)Efer.LMA;
            }
            bool pagingBitsChanged = ((v ^ old) & (ulong)(Cr0.PG | Cr0.CD | Cr0.NW)) != 0;
            if (pagingBitsChanged && PaePaging(v, cr4, newEfer))
            {
                CrResult r = LoadPdptes();
                if (r != CrResult.Done) return r;
            }
            VmcsGuestState.WriteCr0(_v, _s.Controls, v);
            if (newEfer != efer) { _v.Write(VmcsField.GuestIa32Efer, newEfer); _s.SyncLongMode(); }
            return CrResult.Done;
        }

        private CrResult WriteCr4(ulong v)
        {
            ulong old = _s.Get(GuestRegister.Cr4), efer = _v.Read(VmcsField.GuestIa32Efer);
            if ((v >> 32) != 0 || (v & ~_s.Controls.Cr4MayBe1) != 0 || (v & (ulong)Cr4.VMXE) != 0) return CrResult.Fault;
            if ((efer & (ulong)Efer.LMA) != 0 && (v & (ulong)Cr4.PAE) == 0) return CrResult.Fault;
            if ((v & (ulong)Cr4.PCIDE) != 0 && (old & (ulong)Cr4.PCIDE) == 0
                && ((efer & (ulong)Efer.LMA) == 0 || (_v.Read(VmcsField.GuestCr3) & 0xFFF) != 0)) return CrResult.Fault;
            bool pagingBitsChanged = ((v ^ old) & (ulong)(Cr4.PAE | Cr4.PGE | Cr4.PSE | Cr4.SMEP)) != 0;
            if (pagingBitsChanged && PaePaging(_s.Get(GuestRegister.Cr0), v, efer))
            {
                CrResult r = LoadPdptes();
                if (r != CrResult.Done) return r;
            }
            VmcsGuestState.WriteCr4(_v, _s.Controls, v);
            return CrResult.Done;
        }

        private static bool PaePaging(ulong cr0, ulong cr4, ulong efer)
            => (cr0 & (ulong)Cr0.PG) != 0 && (cr4 & (ulong)Cr4.PAE) != 0 && (efer & (ulong)Efer.LMA) == 0;

        /// <summary>
        /// PAE paging with EPT takes its four PDPTEs from the VMCS (SDM "Loading Page-Directory-Pointer-
        /// Table Entries" / "Checks on Guest Page-Directory-Pointer-Table Entries"); an emulated CR0/CR4
        /// write must load them as the instruction would, faulting on reserved bits.
        /// </summary>
        private CrResult LoadPdptes()
        {
            if (_memory == null) return CrResult.Unhandled;
            ulong table = _v.Read(VmcsField.GuestCr3) & 0xFFFF_FFE0;
            Span<byte> bytes = stackalloc byte[32];
            if (!_memory.Read(table, bytes)) return CrResult.Fault;
            for (int i = 0; i < 4; i++)
            {
                ulong e = 0;
                for (int b = 7; b >= 0; b--) e = (e << 8) | bytes[i * 8 + b];
                if ((e & 1) != 0 && (e & PdpteReserved) != 0) return CrResult.Fault;
            }
            for (int i = 0; i < 4; i++)
            {
                ulong e = 0;
                for (int b = 7; b >= 0; b--) e = (e << 8) | bytes[i * 8 + b];
                _v.Write((VmcsField)((uint)VmcsField.GuestPdpte0 + 2u * (uint)i), e);
            }
            return CrResult.Done;
        }

        /// <summary>The code segment is 64-bit (CS.L): where MOV CR uses 64-bit operands and paging cannot be turned off.</summary>
        private bool CsLong => _s.LongMode && new AccessRights(_v.Read32(VmcsField.GuestCsAccessRights)).Long;

        private ulong ReadGpr(GuestRegister r)
        {
            ulong v = _s.Get(r);
            return CsLong ? v : v & 0xFFFF_FFFF;
        }

        private void WriteGpr(GuestRegister r, ulong value) => _s.Set(r, CsLong ? value : value & 0xFFFF_FFFF);
    }
}
