// VMCB EXITCODE values (AMD APM Vol. 2 Appendix C, Table C-1 "SVM Intercept Codes").
namespace Hv.Virt.Svm
{
    public enum SvmExitCode : ulong
    {
        /// <summary>000h-00Fh: read of CR0-CR15; 010h-01Fh: write of CR0-CR15.</summary>
        CrRead0 = 0x000, CrWrite0 = 0x010,
        /// <summary>020h-02Fh: read of DR0-DR15; 030h-03Fh: write.</summary>
        DrRead0 = 0x020, DrWrite0 = 0x030,
        /// <summary>040h-05Fh: exception vector 0-31.</summary>
        Exception0 = 0x040, ExceptionLast = 0x05F,
        Intr = 0x060, Nmi = 0x061, Smi = 0x062, Init = 0x063, Vintr = 0x064,
        Cr0SelectiveWrite = 0x065, IdtrRead = 0x066, GdtrRead = 0x067, LdtrRead = 0x068, TrRead = 0x069,
        IdtrWrite = 0x06A, GdtrWrite = 0x06B, LdtrWrite = 0x06C, TrWrite = 0x06D,
        Rdtsc = 0x06E, Rdpmc = 0x06F, Pushf = 0x070, Popf = 0x071, Cpuid = 0x072, Rsm = 0x073,
        Iret = 0x074, SoftwareInterrupt = 0x075, Invd = 0x076, Pause = 0x077, Hlt = 0x078,
        Invlpg = 0x079, Invlpga = 0x07A, Ioio = 0x07B, Msr = 0x07C, TaskSwitch = 0x07D,
        FerrFreeze = 0x07E, Shutdown = 0x07F,
        Vmrun = 0x080, Vmmcall = 0x081, Vmload = 0x082, Vmsave = 0x083, Stgi = 0x084, Clgi = 0x085,
        Skinit = 0x086, Rdtscp = 0x087, Icebp = 0x088, Wbinvd = 0x089, Monitor = 0x08A, Mwait = 0x08B,
        MwaitConditional = 0x08C, Xsetbv = 0x08D, Rdpru = 0x08E, EferWriteTrap = 0x08F,
        /// <summary>090h-09Fh: CR0-CR15 write traps.</summary>
        CrWriteTrap0 = 0x090,
        Invlpgb = 0x0A0, InvlpgbIllegal = 0x0A1, Invpcid = 0x0A2, Mcommit = 0x0A3, Tlbsync = 0x0A4,
        /// <summary>Nested page fault: EXITINFO1 = fault code, EXITINFO2 = guest-physical address (§15.25.6).</summary>
        NestedPageFault = 0x400,
        AvicIncompleteIpi = 0x401, AvicNoAccel = 0x402, Vmgexit = 0x403,
        /// <summary>VMEXIT_INVALID (-1): VMRUN found illegal guest state (§15.5.1).</summary>
        Invalid = 0xFFFF_FFFF_FFFF_FFFF,
        /// <summary>VMEXIT_BUSY (-2): SEV-ES VMSA busy.</summary>
        Busy = 0xFFFF_FFFF_FFFF_FFFE,
    }
}
