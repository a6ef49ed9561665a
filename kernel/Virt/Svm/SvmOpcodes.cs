// Instruction lengths without NRIP-save or decode assists (QEMU TCG has neither). The exit code
// says which instruction ran; its encoding is fixed, but legal redundant prefixes (66h, F3h, a
// segment override, REX in 64-bit code) make it longer. So the bytes at CS:RIP are read and must
// be [legacy prefixes][REX][opcode]: then the length is exact; anything else gives 0 ("decode
// it", VmExit.InstructionLength). With NRIP-save (CPUID Fn8000_000A_EDX[3]) nRIP - RIP is used.
namespace Hv.Virt.Svm
{
    /// <summary>Opcode bytes packed as (length &lt;&lt; 24) | bytes, first byte most significant.</summary>
    public static unsafe class SvmOpcodes
    {
        public const uint Cpuid = 2u << 24 | 0x0FA2;
        public const uint Hlt = 1u << 24 | 0xF4;
        public const uint Rdmsr = 2u << 24 | 0x0F32;
        public const uint Wrmsr = 2u << 24 | 0x0F30;
        public const uint Invd = 2u << 24 | 0x0F08;
        public const uint Vmmcall = 3u << 24 | 0x0F01D9;
        public const uint Xsetbv = 3u << 24 | 0x0F01D1;
        public const uint Rdtscp = 3u << 24 | 0x0F01F9;

        public const int MaxInstructionLength = 15;

        /// <summary>Length of prefixes + <paramref name="opcode"/> at <paramref name="code"/>, or 0 when the bytes are not that instruction.</summary>
        public static int MatchLength(byte* code, int count, uint opcode, bool code64)
        {
            int length = (int)(opcode >> 24);
            int i = 0;
            while (i < count && IsLegacyPrefix(code[i])) i++;
            if (code64 && i < count && (code[i] & 0xF0) == 0x40) i++;
            int total = i + length;
            if (total > MaxInstructionLength || total > count) return 0;
            for (int k = 0; k < length; k++)
                if (code[i + k] != (byte)(opcode >> (8 * (length - 1 - k)))) return 0;
            return total;
        }

        /// <summary>The last segment-override prefix before the opcode (ES, CS, SS, DS, FS, GS encoding), or -1.</summary>
        public static int SegmentOverride(byte* code, int count)
        {
            int sreg = -1;
            for (int i = 0; i < count && IsLegacyPrefix(code[i]); i++)
            {
                switch (code[i])
                {
                    case 0x26: sreg = 0; break;
                    case 0x2E: sreg = 1; break;
                    case 0x36: sreg = 2; break;
                    case 0x3E: sreg = 3; break;
                    case 0x64: sreg = 4; break;
                    case 0x65: sreg = 5; break;
                }
            }
            return sreg;
        }

        /// <summary>Operand/address size, LOCK, REP/REPNE and the six segment overrides (APM Vol. 3 §1.2).</summary>
        public static bool IsLegacyPrefix(byte b)
        {
            switch (b)
            {
                case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3:
                case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
                    return true;
                default:
                    return false;
            }
        }
    }
}
