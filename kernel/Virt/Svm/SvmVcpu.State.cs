// IVcpuState over the VMCB state-save area and the GPR slots the world switch fills.
using System.Runtime.CompilerServices;

namespace Hv.Virt.Svm
{
    public sealed unsafe partial class SvmVcpu
    {
        // RAX (in the VMCB) and the GPRs the world switch keeps first, apart from the switch, so that
        // the exit handlers' register operands cost a compare and a load.
        public ulong Get(GuestRegister r)
        {
            if (r == GuestRegister.Rax) return _vmcb->Save.Rax;
            if ((uint)r < 16 && r != GuestRegister.Rsp) return _gprs[(int)r];
            return GetOther(r);
        }

        public void Set(GuestRegister r, ulong value)
        {
            if (r == GuestRegister.Rax) { _vmcb->Save.Rax = value; return; }
            if ((uint)r < 16 && r != GuestRegister.Rsp) { _gprs[(int)r] = value; return; }
            SetOther(r, value);
        }

        private ulong GetOther(GuestRegister r)
        {
            VmcbStateSaveArea* s = &_vmcb->Save;
            switch (r)
            {
                case GuestRegister.Rax: return s->Rax;
                case GuestRegister.Rsp: return s->Rsp;
                case GuestRegister.Rip: return s->Rip;
                case GuestRegister.Rflags: return s->Rflags;
                case GuestRegister.Cr0: return s->Cr0;
                case GuestRegister.Cr2: return s->Cr2;
                case GuestRegister.Cr3: return s->Cr3;
                case GuestRegister.Cr4: return s->Cr4;
                // SVME is ours (VMRUN needs it): the guest sees its EFER without it.
                case GuestRegister.Efer: return s->Efer & ~(ulong)GuestEfer.SVME;
                case GuestRegister.Xcr0: return _xcr0;
                case GuestRegister.CsBase: return s->Cs.Base;
                case GuestRegister.SsBase: return s->Ss.Base;
                case GuestRegister.DsBase: return s->Ds.Base;
                case GuestRegister.EsBase: return s->Es.Base;
                case GuestRegister.FsBase: return s->Fs.Base;
                case GuestRegister.GsBase: return s->Gs.Base;
                case GuestRegister.KernelGsBase: return s->KernelGsBase;
                case GuestRegister.SysenterCs: return s->SysenterCs;
                case GuestRegister.SysenterEsp: return s->SysenterEsp;
                case GuestRegister.SysenterEip: return s->SysenterEip;
                case GuestRegister.Star: return s->Star;
                case GuestRegister.Lstar: return s->Lstar;
                case GuestRegister.Cstar: return s->Cstar;
                case GuestRegister.Sfmask: return s->Sfmask;
                case GuestRegister.Pat: return s->GuestPat;
                case GuestRegister.TscAux: return _tscAux;
                case GuestRegister.Tsc: return _host.ReadTsc() + _vmcb->Control.TscOffset;
                default:
                    return (uint)r < 16 ? _gprs[(int)r] : 0;
            }
        }

        private void SetOther(GuestRegister r, ulong value)
        {
            VmcbStateSaveArea* s = &_vmcb->Save;
            switch (r)
            {
                case GuestRegister.Rax: s->Rax = value; return;
                case GuestRegister.Rsp: s->Rsp = value; return;
                case GuestRegister.Rip: s->Rip = value; return;
                case GuestRegister.Rflags: s->Rflags = value | (ulong)GuestRflags.Reserved1; return;
                case GuestRegister.Cr0: s->Cr0 = value; SyncLongModeActive(); _checkBeforeEntry = true; return;
                case GuestRegister.Cr2: s->Cr2 = value; return;
                case GuestRegister.Cr3: s->Cr3 = value; _checkBeforeEntry = true; return;
                case GuestRegister.Cr4: s->Cr4 = value; _checkBeforeEntry = true; return;
                case GuestRegister.Efer: s->Efer = value | (ulong)GuestEfer.SVME; SyncLongModeActive(); _checkBeforeEntry = true; return;
                case GuestRegister.Xcr0: _xcr0 = value; return;
                case GuestRegister.CsBase: s->Cs.Base = value; return;
                case GuestRegister.SsBase: s->Ss.Base = value; return;
                case GuestRegister.DsBase: s->Ds.Base = value; return;
                case GuestRegister.EsBase: s->Es.Base = value; return;
                case GuestRegister.FsBase: s->Fs.Base = value; return;
                case GuestRegister.GsBase: s->Gs.Base = value; return;
                case GuestRegister.KernelGsBase: s->KernelGsBase = value; return;
                case GuestRegister.SysenterCs: s->SysenterCs = value; return;
                case GuestRegister.SysenterEsp: s->SysenterEsp = value; return;
                case GuestRegister.SysenterEip: s->SysenterEip = value; return;
                case GuestRegister.Star: s->Star = value; return;
                case GuestRegister.Lstar: s->Lstar = value; return;
                case GuestRegister.Cstar: s->Cstar = value; return;
                case GuestRegister.Sfmask: s->Sfmask = value; return;
                case GuestRegister.Pat: s->GuestPat = value; _checkBeforeEntry = true; return;
                case GuestRegister.TscAux: _tscAux = value; return;
                case GuestRegister.Tsc: _vmcb->Control.TscOffset = value - _host.ReadTsc(); return;
                default:
                    if ((uint)r < 16) _gprs[(int)r] = value;
                    return;
            }
        }

        public int Cpl => _vmcb->Save.Cpl;
        public bool LongMode
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => (_vmcb->Save.Efer & (ulong)GuestEfer.LMA) != 0;
        }

        /// <summary>64-bit code: long mode active and CS.L set (then segment bases of CS/DS/ES/SS are 0).</summary>
        public bool In64BitCode
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => LongMode && (_vmcb->Save.Cs.Attributes & SegmentAttributes.Long) != 0;
        }

        /// <summary>64 in 64-bit code (EFER.LMA and CS.L), else 32 or 16 by CS.D (APM Vol. 2 §4.7.2).</summary>
        public int CodeBitness
        {
            get
            {
                if (In64BitCode) return 64;
                return (_vmcb->Save.Cs.Attributes & SegmentAttributes.DefaultBig) != 0 ? 32 : 16;
            }
        }

        /// <summary>
        /// EFER.LMA = EFER.LME and CR0.PG, as the CPU keeps it (APM Vol. 2 §14.6, "Enabling and Activating Long Mode"). The guest's own
        /// MOV CR0 is not intercepted (the CPU updates LMA); this covers the core's Set calls, e.g.
        /// a WRMSR to EFER, where LMA is read-only, or an INIT that clears CR0 and EFER.
        /// </summary>
        private void SyncLongModeActive()
        {
            VmcbStateSaveArea* s = &_vmcb->Save;
            bool active = (s->Efer & (ulong)GuestEfer.LME) != 0 && (s->Cr0 & (ulong)GuestCr0.PG) != 0;
            s->Efer = active ? s->Efer | (ulong)GuestEfer.LMA : s->Efer & ~(ulong)GuestEfer.LMA;
        }
    }
}
