namespace Hv.Virt.Vmx
{
    // Port I/O and MSR exits (SDM Vol. 3C "Exit Qualification for I/O Instructions", "RDMSR"/"WRMSR" in
    // "Instructions That Cause VM Exits Conditionally").
    public sealed unsafe partial class VmxExitDecoder
    {
        private void Io(ref VmExit exit)
        {
            var q = new IoQualification(_v.Read(VmcsField.ExitQualification));
            exit.Qualification = q.Raw;
            exit.Kind = q.In ? VmExitKind.IoIn : VmExitKind.IoOut;
            exit.Port = q.Port;
            exit.Size = q.Size;
            exit.IsString = q.String;
            exit.Rep = q.Rep;
            LastStringIoValid = false;
            if (q.String)
            {
                // INS/OUTS: the linear address of the memory operand (ES:rDI or seg:rSI), and with
                // IA32_VMX_BASIC[54] the address size and segment. Without it: the code segment's
                // default address size (an 0x67 prefix is not seen) and DS.
                exit.GuestLinear = _v.Read(VmcsField.GuestLinearAddress);
                exit.Segment = SegmentRegister.Ds;
                if (_insOutsInfo)
                {
                    LastStringIo = new StringIoInfo(_v.Read32(VmcsField.ExitInstructionInfo));
                    LastStringIoValid = true;
                    exit.AddressSize = (byte)(LastStringIo.AddressBits / 8);
                    exit.Segment = (SegmentRegister)LastStringIo.Segment;
                }
                else exit.AddressSize = (byte)(_s.CodeBitness / 8);
                if (q.In) exit.Segment = SegmentRegister.Es;
                return;
            }
            if (!q.In)
            {
                ulong mask = q.Size == 1 ? 0xFFul : q.Size == 2 ? 0xFFFFul : 0xFFFF_FFFFul;
                exit.IoValue = _s.Registers->Gpr[(int)GuestRegister.Rax] & mask;
            }
        }

        private void Msr(ref VmExit exit, VmExitKind kind)
        {
            exit.Kind = kind;
            exit.Msr = (uint)_s.Registers->Gpr[(int)GuestRegister.Rcx];
        }
    }
}
