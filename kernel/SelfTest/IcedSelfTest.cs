// Iced (the x86 decoder, netstandard2.1 build) inside the image: decode instructions whose
// encodings the SDM fixes and compare with what they must be. Also runs on the host.
using Iced.Intel;

namespace Hv.SelfTest
{
    public static class IcedSelfTest
    {
        public static string Run()
        {
            string r;
            // mov rax, [rax+rax*1]    REX.W 8B /r, SIB
            if ((r = Expect(new byte[] { 0x48, 0x8B, 0x04, 0x00 }, Code.Mov_r64_rm64, 4)) != null) return r;
            // mov dword [rax+10h], 12345678h    C7 /0 id with disp8
            if ((r = Expect(new byte[] { 0xC7, 0x40, 0x10, 0x78, 0x56, 0x34, 0x12 }, Code.Mov_rm32_imm32, 7)) != null) return r;
            // vmcall / vmmcall    0F 01 C1 / 0F 01 D9
            if ((r = Expect(new byte[] { 0x0F, 0x01, 0xC1 }, Code.Vmcall, 3)) != null) return r;
            if ((r = Expect(new byte[] { 0x0F, 0x01, 0xD9 }, Code.Vmmcall, 3)) != null) return r;
            // rep stosq    F3 REX.W AB
            if ((r = Expect(new byte[] { 0xF3, 0x48, 0xAB }, Code.Stosq_m64_RAX, 3)) != null) return r;
            // vzeroupper    VEX.128.0F.WIG 77
            if ((r = Expect(new byte[] { 0xC5, 0xF8, 0x77 }, Code.VEX_Vzeroupper, 3)) != null) return r;
            // mov [rip+100h], ecx: RIP-relative, absolute target = next IP + 0x100
            var d = Decode(new byte[] { 0x89, 0x0D, 0x00, 0x01, 0x00, 0x00 }, out Instruction ins);
            if (ins.Code != Code.Mov_rm32_r32 || !ins.IsIPRelativeMemoryOperand || ins.IPRelativeMemoryAddress != 0x1000 + 6 + 0x100)
                return "iced: RIP-relative operand";
            // A lone REX prefix is not an instruction: INVALID, and no exception.
            Decode(new byte[] { 0x48 }, out ins);
            if (ins.Code != Code.INVALID) return "iced: truncated bytes not reported invalid";
            return null;
        }

        private static string Expect(byte[] bytes, Code code, int length)
        {
            Decode(bytes, out Instruction ins);
            if (ins.Code != code || ins.Length != length)
                return "iced: bytes " + Hex(bytes) + " decoded as code " + ((int)ins.Code).ToString() + " length " + ins.Length.ToString();
            return null;
        }

        private static Decoder Decode(byte[] bytes, out Instruction ins)
        {
            var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes));
            decoder.IP = 0x1000;
            decoder.Decode(out ins);
            return decoder;
        }

        private static string Hex(byte[] b)
        {
            string s = "";
            for (int i = 0; i < b.Length; i++) s = s + Virt.Caps.Hex.Format(b[i], 2) + " ";
            return s;
        }
    }
}
