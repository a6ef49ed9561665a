namespace Hv.Virt.Vmx
{
    // Guest state beyond the GPRs: segment bases and MSRs. SYSENTER_*, PAT (with PAT switching) and
    // the segment bases live in the VMCS. KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK and TSC_AUX
    // are not switched by VMX; the host never uses them (no SYSCALL, SWAPGS, RDTSCP/RDPID), so the
    // guest's values are loaded into the CPU only when a different vCPU last used it
    // (kernel/Arch/Vmx/VmxVcpu.cs, "lazy MSRs"). While loaded ("live") SWAPGS in the guest changes
    // KERNEL_GS_BASE without an exit, so it is read back from the CPU.
    public sealed unsafe partial class VmxVcpuState
    {
        private static readonly uint[] LazyMsrNumbers =
        {
            (uint)X86Msr.KernelGsBase, (uint)X86Msr.Star, (uint)X86Msr.Lstar, (uint)X86Msr.Cstar, (uint)X86Msr.Sfmask, (uint)X86Msr.TscAux,
        };
        private readonly ulong[] _lazyMsrs = new ulong[6];
        private readonly IVmxPlatform _platform;
        private ulong _pat = VmcsGuestState.ResetPat;

        /// <summary>The lazy MSRs hold this vCPU's values in the CPU right now.</summary>
        public bool MsrsLive { get; private set; }

        /// <summary>Writes this vCPU's lazy MSRs into the CPU (before entry, when another vCPU used it last).</summary>
        public void LoadLazyMsrs()
        {
            for (int i = 0; i < LazyMsrNumbers.Length; i++) _platform.WriteMsr(LazyMsrNumbers[i], _lazyMsrs[i]);
            MsrsLive = true;
        }

        /// <summary>Another vCPU takes the CPU: keep what the guest changed without exiting (SWAPGS).</summary>
        public void SaveLazyMsrs()
        {
            if (!MsrsLive) return;
            _lazyMsrs[0] = _platform.ReadMsr((uint)X86Msr.KernelGsBase);
            MsrsLive = false;
        }

        private bool TryGetExtended(GuestRegister r, out ulong value)
        {
            int lazy = LazyIndex(r);
            if (lazy >= 0)
            {
                value = lazy == 0 && MsrsLive ? _platform.ReadMsr((uint)X86Msr.KernelGsBase) : _lazyMsrs[lazy];
                return true;
            }
            switch (r)
            {
                case GuestRegister.CsBase: value = _v.Read(VmcsField.GuestCsBase); return true;
                case GuestRegister.SsBase: value = _v.Read(VmcsField.GuestSsBase); return true;
                case GuestRegister.DsBase: value = _v.Read(VmcsField.GuestDsBase); return true;
                case GuestRegister.EsBase: value = _v.Read(VmcsField.GuestEsBase); return true;
                case GuestRegister.FsBase: value = _v.Read(VmcsField.GuestFsBase); return true;
                case GuestRegister.GsBase: value = _v.Read(VmcsField.GuestGsBase); return true;
                case GuestRegister.SysenterCs: value = _v.Read(VmcsField.GuestIa32SysenterCs); return true;
                case GuestRegister.SysenterEsp: value = _v.Read(VmcsField.GuestIa32SysenterEsp); return true;
                case GuestRegister.SysenterEip: value = _v.Read(VmcsField.GuestIa32SysenterEip); return true;
                case GuestRegister.Pat: value = _set.PatSwitching ? _v.Read(VmcsField.GuestIa32Pat) : _pat; return true;
                case GuestRegister.Tsc: value = _platform.ReadTsc() + _v.Read(VmcsField.TscOffset); return true;
                default: value = 0; return false;
            }
        }

        private void SetExtended(GuestRegister r, ulong value)
        {
            int lazy = LazyIndex(r);
            if (lazy >= 0)
            {
                _lazyMsrs[lazy] = value;
                if (MsrsLive) _platform.WriteMsr(LazyMsrNumbers[lazy], value);
                return;
            }
            switch (r)
            {
                case GuestRegister.CsBase: _v.Write(VmcsField.GuestCsBase, value); return;
                case GuestRegister.SsBase: _v.Write(VmcsField.GuestSsBase, value); return;
                case GuestRegister.DsBase: _v.Write(VmcsField.GuestDsBase, value); return;
                case GuestRegister.EsBase: _v.Write(VmcsField.GuestEsBase, value); return;
                case GuestRegister.FsBase: _v.Write(VmcsField.GuestFsBase, value); return;
                case GuestRegister.GsBase: _v.Write(VmcsField.GuestGsBase, value); return;
                case GuestRegister.SysenterCs: _v.Write(VmcsField.GuestIa32SysenterCs, value); return;
                case GuestRegister.SysenterEsp: _v.Write(VmcsField.GuestIa32SysenterEsp, value); return;
                case GuestRegister.SysenterEip: _v.Write(VmcsField.GuestIa32SysenterEip, value); return;
                case GuestRegister.Pat: if (_set.PatSwitching) _v.Write(VmcsField.GuestIa32Pat, value); else _pat = value; return;
                // RDTSC/RDTSCP in the guest add the offset ("use TSC offsetting"); make them read value now.
                case GuestRegister.Tsc: _v.Write(VmcsField.TscOffset, value - _platform.ReadTsc()); return;
            }
        }

        private static int LazyIndex(GuestRegister r)
        {
            switch (r)
            {
                case GuestRegister.KernelGsBase: return 0;
                case GuestRegister.Star: return 1;
                case GuestRegister.Lstar: return 2;
                case GuestRegister.Cstar: return 3;
                case GuestRegister.Sfmask: return 4;
                case GuestRegister.TscAux: return 5;
                default: return -1;
            }
        }
    }
}
