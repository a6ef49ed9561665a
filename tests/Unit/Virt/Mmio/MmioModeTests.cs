using Hv.Virt;
using Hv.Virt.Mmio;
using Xunit;
using static Hv.Tests.Unit.Virt.GuestPageTables;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>
    /// What the host CPU cannot be the reference for: 16-bit and 32-bit code (real mode, flat protected
    /// mode, 32-bit paging, compatibility mode), segment bases and overrides, 16/32-bit addressing with
    /// wrap-around, 16-bit string registers. The arithmetic is mode-independent and covered by HostReferenceTests.
    /// </summary>
    public class MmioModeTests
    {
        private const ulong M = EmulatorRig.MmioBase;
        private readonly EmulatorRig _r = new EmulatorRig();

        [Fact]
        public void RealMode_BaseIndexDisplacement_StoresAx()
        {
            _r.Real(0, 0x7C00).Poke(0x7C00, 0x89, 0x40, 0x04);           // mov [bx+si+4], ax
            _r.S[GuestRegister.DsBase] = M;
            _r.S[GuestRegister.Rbx] = 0xFFFF_0010;                      // only BX counts
            _r.S[GuestRegister.Rsi] = 0x20;
            _r.S[GuestRegister.Rax] = 0x1111_BEEF;

            Assert.Equal(MmioResult.Done, _r.Run(M + 0x34, AccessKind.Write));

            Assert.Equal(0xBEEFul, _r.Mmio(0x34, 2));
            Assert.Equal((M + 0x34, 2, true, 0xBEEFul), _r.Bus.Log[0]);
            Assert.Single(_r.Bus.Log);
            Assert.Equal(0x7C03ul, _r.S[GuestRegister.Rip]);
            Assert.Equal(3, _r.Ctx.Length);
        }

        [Fact]
        public void RealMode_HighByteRegister_AndDirectAddress()
        {
            _r.Real(0xF_0000, 0xFFF0).Poke(0xF_FFF0, 0x8A, 0x26, 0x00, 0x10); // mov ah, [0x1000] at F000:FFF0
            _r.S[GuestRegister.DsBase] = M;
            _r.S[GuestRegister.Rax] = 0x1122;
            _r.Bus.Bytes[0x1000] = 0xEE;

            Assert.Equal(MmioResult.Done, _r.Run(M + 0x1000));

            Assert.Equal(0xEE22ul, _r.S[GuestRegister.Rax]);
            Assert.Equal(0xFFF4ul, _r.S[GuestRegister.Rip]);
        }

        [Fact]
        public void RealMode_EffectiveAddressWrapsAt64K()
        {
            _r.Real(0, 0x1000).Poke(0x1000, 0x8A, 0x81, 0xF0, 0xFF);    // mov al, [bx+di+0xFFF0]
            _r.S[GuestRegister.DsBase] = M;
            _r.S[GuestRegister.Rbx] = 0x20;
            _r.Bus.Bytes[0x10] = 0x5A;                                   // 0x20 + 0xFFF0 = 0x10010 -> 0x0010

            Assert.Equal(MmioResult.Done, _r.Run(M + 0x10));

            Assert.Equal(0x5Aul, _r.S[GuestRegister.Rax] & 0xFF);
        }

        [Fact]
        public void RealMode_OperandAndAddressSizePrefixes()
        {
            _r.Real(0, 0x1000).Poke(0x1000, 0x66, 0x89, 0x07);           // mov [bx], eax
            _r.S[GuestRegister.DsBase] = M;
            _r.S[GuestRegister.Rbx] = 0x40;
            _r.S[GuestRegister.Rax] = 0xAABB_CCDD_1234_5678;
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x40, AccessKind.Write));
            Assert.Equal((M + 0x40, 4, true, 0x1234_5678ul), _r.Bus.Log[0]);

            _r.Real(0, 0x1000).Poke(0x1000, 0x66, 0x67, 0x8B, 0x04, 0x8B); // mov eax, [ebx+ecx*4]
            _r.S[GuestRegister.Rbx] = 0xFFFF_FFFF_0000_0100;             // 32-bit addressing: EBX
            _r.S[GuestRegister.Rcx] = 2;
            _r.S[GuestRegister.Rax] = ulong.MaxValue;
            Hv.Virt.Bytes.Store(new System.Span<byte>(_r.Bus.Bytes, 0x108, 4), 0x1234_5678);
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x108));
            Assert.Equal(0x1234_5678ul, _r.S[GuestRegister.Rax] & 0xFFFF_FFFF);
            Assert.Equal(0ul, _r.S[GuestRegister.Rax] >> 32);             // a 32-bit destination zero-extends
            Assert.Equal(0x1005ul, _r.S[GuestRegister.Rip]);
        }

        [Fact]
        public void RealMode_SegmentOverride_AndBpDefaultsToSs()
        {
            _r.Real(0, 0x1000).Poke(0x1000, 0x26, 0x88, 0x07);           // mov es:[bx], al
            _r.S[GuestRegister.DsBase] = 0x2_0000;                       // RAM: must not be used
            _r.S[GuestRegister.EsBase] = M;
            _r.S[GuestRegister.Rbx] = 0x8;
            _r.S[GuestRegister.Rax] = 0x77;
            Assert.Equal(MmioResult.Done, _r.Run(M + 8, AccessKind.Write));
            Assert.Equal(0x77ul, _r.Mmio(8, 1));

            _r.Real(0, 0x1000).Poke(0x1000, 0x88, 0x46, 0x02);           // mov [bp+2], al
            _r.S[GuestRegister.SsBase] = M + 0x100;
            _r.S[GuestRegister.Rbp] = 0x10;
            _r.S[GuestRegister.Rax] = 0x99;
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x112, AccessKind.Write));
            Assert.Equal(0x99ul, _r.Mmio(0x112, 1));
        }

        [Fact]
        public void RealMode_RepStosw_UsesCxDiAndKeepsTheUpperBits()
        {
            _r.Real(0, 0x1000).Poke(0x1000, 0xF3, 0xAB);                 // rep stosw
            _r.S[GuestRegister.EsBase] = M;
            _r.S[GuestRegister.Rcx] = 0xDEAD_BEEF_0000_0005;
            _r.S[GuestRegister.Rdi] = 0x1234_0000_0000_0010;
            _r.S[GuestRegister.Rax] = 0xBEEF;

            Assert.Equal(MmioResult.Done, _r.Run(M + 0x10, AccessKind.Write));

            Assert.Equal(0xDEAD_BEEF_0000_0000ul, _r.S[GuestRegister.Rcx]);
            Assert.Equal(0x1234_0000_0000_001Aul, _r.S[GuestRegister.Rdi]);
            Assert.Equal(5, _r.Bus.Log.Count);
            for (int i = 0; i < 5; i++)
                Assert.Equal((M + 0x10 + (ulong)(2 * i), 2, true, 0xBEEFul), _r.Bus.Log[i]);
            Assert.Equal(5, _r.Ctx.Elements);
        }

        [Fact]
        public void RealMode_RepMovsb_DiWrapsWithinTheSegment()
        {
            _r.Real(0, 0x1000).Poke(0x1000, 0xF3, 0xA4);                 // rep movsb
            _r.S[GuestRegister.DsBase] = 0x2_0000;                       // source in RAM
            _r.S[GuestRegister.EsBase] = M;
            _r.Poke(0x2_0000 + 0x40, 1, 2, 3);
            _r.S[GuestRegister.Rsi] = 0x40;
            _r.S[GuestRegister.Rdi] = 0xFFFF;                            // ES:FFFF, then ES:0000, ES:0001
            _r.S[GuestRegister.Rcx] = 3;

            Assert.Equal(MmioResult.Done, _r.Run(M + 0xFFFF, AccessKind.Write));

            Assert.Equal(new[] { M + 0xFFFF, M, M + 1 }, new[] { _r.Bus.Log[0].Gpa, _r.Bus.Log[1].Gpa, _r.Bus.Log[2].Gpa });
            Assert.Equal(new ulong[] { 1, 2, 3 }, new[] { _r.Bus.Log[0].Value, _r.Bus.Log[1].Value, _r.Bus.Log[2].Value });
            Assert.Equal(2ul, _r.S[GuestRegister.Rdi]);
            Assert.Equal(0x43ul, _r.S[GuestRegister.Rsi]);
            Assert.Equal(0ul, _r.S[GuestRegister.Rcx]);
        }

        [Fact]
        public void Flat32_ImmediateStore_AndMoffsLoad()
        {
            _r.Flat32(0x10_0000).Poke(0x10_0000, 0xC7, 0x05, 0x10, 0x00, 0xC0, 0xFE, 0x78, 0x56, 0x34, 0x12); // mov dword [0xFEC00010], 0x12345678
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x10, AccessKind.Write));
            Assert.Equal((M + 0x10, 4, true, 0x1234_5678ul), _r.Bus.Log[0]);
            Assert.Equal(0x10_000Aul, _r.S[GuestRegister.Rip]);
            Assert.Equal(10, _r.Ctx.Length);

            _r.Flat32(0x10_0000).Poke(0x10_0000, 0xA1, 0x20, 0x00, 0xC0, 0xFE); // mov eax, [0xFEC00020]
            _r.Fill(0xFF);
            _r.S[GuestRegister.Rax] = 0x1111_2222_3333_4444;
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x20));
            Assert.Equal(0xFFFF_FFFFul, _r.S[GuestRegister.Rax]);
        }

        [Fact]
        public void Flat32_AddressSizePrefix_Gives16BitAddressing()
        {
            _r.Flat32(0x10_0000).Poke(0x10_0000, 0x67, 0x88, 0x07);       // mov [bx], al
            _r.S[GuestRegister.DsBase] = M;
            _r.S[GuestRegister.Rbx] = 0xFFFF_0010;
            _r.S[GuestRegister.Rax] = 0x42;
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x10, AccessKind.Write));
            Assert.Equal(0x42ul, _r.Mmio(0x10, 1));
        }

        [Fact]
        public void Flat32_LinearAddressWrapsAt4G()
        {
            _r.Flat32(0x10_0000).Poke(0x10_0000, 0x8B, 0x03);             // mov eax, [ebx]
            _r.S[GuestRegister.DsBase] = 0xFFFF_0000;                    // base + EBX passes 4 GiB and wraps
            ulong ebx = 0xFEC1_0030;                                     // 0xFFFF0000 + 0xFEC10030 = 0x1_FEC00030
            _r.S[GuestRegister.Rbx] = ebx;
            _r.Bus.Bytes[0x30] = 0x99;
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x30));
            Assert.Equal(0x99ul, _r.S[GuestRegister.Rax] & 0xFF);
        }

        [Fact]
        public void ThirtyTwoBitPaging_TranslatesTheOperand()
        {
            // PD at 1 MiB: linear 0-4M -> PT0 (code at 0x8000), linear 0x40000000 -> PT1 -> the MMIO page.
            _r.Flat32(0x8000).Poke(0x8000, 0x89, 0x03);                   // mov [ebx], eax
            Write32(0x10_0000 + 0 * 4, 0x10_1000 | 3);
            Write32(0x10_1000 + 8 * 4, 0x8000 | 1);
            Write32(0x10_0000 + 0x100 * 4, 0x10_2000 | 3);
            Write32(0x10_2000 + 0 * 4, (uint)M | 3);
            _r.S[GuestRegister.Cr0] = (ulong)(Cr0Bits.ProtectionEnable | Cr0Bits.Paging);
            _r.S[GuestRegister.Cr3] = 0x10_0000;
            _r.S[GuestRegister.Rbx] = 0x4000_0024;
            _r.S[GuestRegister.Rax] = 0xCAFE_F00D;

            Assert.Equal(MmioResult.Done, _r.Run(M + 0x24, AccessKind.Write));

            Assert.Equal((M + 0x24, 4, true, 0xCAFE_F00Dul), _r.Bus.Log[0]);
        }

        [Fact]
        public void PaePaging_TwoMiBWindow_WithTheAccessedBitInThePdpte()
        {
            // The probe guest's layout under QEMU TCG, which sets bit 5 (A) in the PDPTE in memory.
            _r.Flat32(0x10_0000).Poke(0x10_0000, 0x8B, 0x07);             // mov eax, [edi]
            for (int i = 0; i < 512; i++) Write64(0x2000 + (ulong)i * 8, (ulong)i * 0x20_0000 | 0xE3);
            Write64(0x1000, 0x2000 | 0x21);                               // PDPTE 0: P, A
            Write64(0x1000 + 3 * 8, 0x3000 | 0x21);                       // PDPTE 3: the window's PD
            Write64(0x3000 + 511 * 8, M | 0x9B);                          // 0xFFE00000 -> M, 2 MiB, PWT PCD
            _r.S[GuestRegister.Cr0] = (ulong)(Cr0Bits.ProtectionEnable | Cr0Bits.Paging);
            _r.S[GuestRegister.Cr4] = (ulong)Cr4Bits.PhysicalAddressExtension;
            _r.S[GuestRegister.Cr3] = 0x1000;
            _r.S[GuestRegister.Rdi] = 0xFFE0_0010;
            _r.Bus.Bytes[0x10] = 0x77;

            Assert.Equal(MmioResult.Done, _r.Run(M + 0x10));

            Assert.Equal(0x77ul, _r.S[GuestRegister.Rax]);
        }

        [Fact]
        public void CompatibilityMode_UsesSegmentBasesAnd32BitLinear()
        {
            GuestPageTables pt = _r.Long64(0x40_0000);
            pt.Map(0x40_0000, 0x20_0000, P | W);
            pt.Map(0x3000_1000, M, P | W);
            _r.S.Bitness = 32;                                           // CS.L = 0 under EFER.LMA
            _r.Poke(0x20_0000, 0x8B, 0x03);                              // mov eax, [ebx]
            _r.S[GuestRegister.DsBase] = 0x1000;
            _r.S[GuestRegister.Rbx] = 0xFFFF_FFFF_3000_0008;
            _r.Bus.Bytes[0x8] = 0x3C;

            Assert.Equal(MmioResult.Done, _r.Run(M + 8));

            Assert.Equal(0x3Cul, _r.S[GuestRegister.Rax]);
        }

        [Fact]
        public void LongMode_FsBaseCounts_DsBaseDoesNot()
        {
            GuestPageTables pt = _r.Long64(0x40_0000);
            pt.Map(0x40_0000, 0x20_0000, P | W);
            pt.Map(0x7000_0000, M, P | W);
            _r.Poke(0x20_0000, 0x8B, 0x03, 0x64, 0x8B, 0x03);             // mov eax, [rbx]; mov eax, fs:[rbx]
            _r.S[GuestRegister.DsBase] = 0x5000;                          // ignored in 64-bit mode
            _r.S[GuestRegister.FsBase] = 0x100;
            _r.S[GuestRegister.Rbx] = 0x7000_0010;
            _r.Bus.Bytes[0x10] = 0x11;
            _r.Bus.Bytes[0x110] = 0x22;

            Assert.Equal(MmioResult.Done, _r.Run(M + 0x10));
            Assert.Equal(0x11ul, _r.S[GuestRegister.Rax]);
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x110));
            Assert.Equal(0x22ul, _r.S[GuestRegister.Rax]);
        }

        [Fact]
        public void RexForms_SixtyFourBit()
        {
            GuestPageTables pt = _r.Long64(0x40_0000);
            pt.Map(0x40_0000, 0x20_0000, P | W);
            pt.Map(0x7000_0000, M, P | W);
            _r.S[GuestRegister.Rdi] = 0x7000_0000;
            _r.S[GuestRegister.Rax] = 0x7000_0008;
            _r.S[GuestRegister.R9] = 0x1122_3344_5566_7788;
            _r.Poke(0x20_0000, 0x66, 0x44, 0x89, 0x0F,                     // mov [rdi], r9w
                0x48, 0xC7, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,                   // mov qword [rax], -1
                0x4C, 0x63, 0x20,                                           // movsxd r12, dword [rax]
                0x44, 0x8A, 0x2F);                                          // mov r13b, [rdi]
            Assert.Equal(MmioResult.Done, _r.Run(M, AccessKind.Write));
            Assert.Equal(0x7788ul, _r.Mmio(0, 2));
            Assert.Equal(MmioResult.Done, _r.Run(M + 8, AccessKind.Write));
            Assert.Equal(ulong.MaxValue, _r.Mmio(8, 8));
            Assert.Equal(MmioResult.Done, _r.Run(M + 8));
            Assert.Equal(ulong.MaxValue, _r.S[GuestRegister.R12]);
            _r.S[GuestRegister.R13] = 0xAAAA_AAAA_AAAA_AAAA;
            Assert.Equal(MmioResult.Done, _r.Run(M));
            Assert.Equal(0xAAAA_AAAA_AAAA_AA88ul, _r.S[GuestRegister.R13]);
            Assert.Equal(0x40_0000ul + 4 + 7 + 3 + 3, _r.S[GuestRegister.Rip]);
        }

        [Fact]
        public void AccessWidths_AreOneBusAccessOfTheOperandSize()
        {
            GuestPageTables pt = _r.Long64(0x40_0000);
            pt.Map(0x40_0000, 0x20_0000, P | W);
            pt.Map(0x7000_0000, M, P | W);
            pt.Map(0x7000_1000, M + 0x1000, P | W);
            _r.S[GuestRegister.Rbx] = 0x7000_0010;
            _r.Poke(0x20_0000, 0x48, 0x83, 0x0B, 0x01);                   // or qword [rbx], 1
            Assert.Equal(MmioResult.Done, _r.Run(M + 0x10, AccessKind.Write));
            Assert.Equal(2, _r.Bus.Log.Count);
            Assert.Equal((M + 0x10, 8, false), (_r.Bus.Log[0].Gpa, _r.Bus.Log[0].Size, _r.Bus.Log[0].Write));
            Assert.Equal((M + 0x10, 8, true), (_r.Bus.Log[1].Gpa, _r.Bus.Log[1].Size, _r.Bus.Log[1].Write));

            // Across the page boundary: two pieces, each not a bus width: bytes.
            _r.Bus.Log.Clear();
            _r.S[GuestRegister.Rip] = 0x40_0000;
            _r.S[GuestRegister.Rbx] = 0x7000_0FFD;
            _r.Poke(0x20_0000, 0x8B, 0x03);                               // mov eax, [rbx]
            Assert.Equal(MmioResult.Done, _r.Run(M + 0xFFD));
            Assert.Equal(4, _r.Bus.Log.Count);
            Assert.All(_r.Bus.Log, a => Assert.Equal(1, a.Size));
        }

        private void Write64(ulong gpa, ulong value)
        {
            var b = new byte[8];
            Hv.Virt.Bytes.Store(b, value);
            _r.Poke(gpa, b);
        }

        private void Write32(ulong gpa, uint value) => _r.Poke(gpa, (byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24));
    }
}
