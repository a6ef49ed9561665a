// Turning SVM on for one CPU (AMD APM Vol. 2 §15.4 "Enabling SVM", §15.30.1 VM_CR, §15.30.4
// VM_HSAVE_PA) and the world switch entry point (kernel/Arch/Asm/svm.asm).
using System.Runtime.InteropServices;

namespace Hv.Arch.Svm
{
    public static unsafe class SvmCpu
    {
        public const uint EferMsr = 0xC000_0080;
        public const ulong EferSvme = 1ul << 12;
        /// <summary>VM_CR: bit 4 SVMDIS (EFER.SVME cannot be set), bit 3 LOCK.</summary>
        public const uint VmCrMsr = 0xC001_0114;
        public const ulong VmCrSvmDisable = 1ul << 4;
        /// <summary>VM_HSAVE_PA: the 4 KiB page where VMRUN saves host state (page aligned, below MAXPHYADDR).</summary>
        public const uint HostSaveAreaMsr = 0xC001_0117;

        [DllImport("hvasm"), SuppressGCTransition]
        public static extern void hv_svm_run(ulong guestVmcb, ulong* gprs, ulong hostVmcb, byte* guestFx);

        /// <summary>
        /// Checks VM_CR.SVMDIS, sets EFER.SVME and points VM_HSAVE_PA at <paramref name="hostSaveArea"/>.
        /// Null on success, else why not. Must run on the CPU being enabled.
        /// </summary>
        public static string Enable(ulong hostSaveArea)
        {
            if ((Cpu.hv_rdmsr(VmCrMsr) & VmCrSvmDisable) != 0) return "SVM disabled by firmware (VM_CR.SVMDIS)";
            ulong efer = Cpu.hv_rdmsr(EferMsr);
            if ((efer & EferSvme) == 0) Cpu.hv_wrmsr(EferMsr, efer | EferSvme);
            if ((Cpu.hv_rdmsr(EferMsr) & EferSvme) == 0) return "EFER.SVME did not stay set";
            Cpu.hv_wrmsr(HostSaveAreaMsr, hostSaveArea);
            return null;
        }

        /// <summary>MAXPHYADDR: CPUID Fn8000_0008_EAX[7:0] (APM Vol. 3 Appendix E), 36 if that leaf is missing.</summary>
        public static int PhysicalAddressBits()
        {
            Cpu.Cpuid(0x8000_0000, 0, out uint maxExtended, out _, out _, out _);
            if (maxExtended < 0x8000_0008) return 36;
            Cpu.Cpuid(0x8000_0008, 0, out uint eax, out _, out _, out _);
            return (int)(eax & 0xFF);
        }

        /// <summary>CPUID Fn0000_0001_EAX, the processor signature: EDX after RESET/INIT.</summary>
        public static uint Signature()
        {
            Cpu.Cpuid(1, 0, out uint eax, out _, out _, out _);
            return eax;
        }
    }
}
