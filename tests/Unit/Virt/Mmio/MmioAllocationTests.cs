using System;
using Hv.Virt;
using Hv.Virt.Mmio;
using Xunit;
using static Hv.Tests.Unit.Virt.GuestPageTables;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>Emulation allocates nothing (docs/runtime.md): every path, including Iced's Decode, faults and refusals.</summary>
    public class MmioAllocationTests
    {
        private const ulong M = EmulatorRig.MmioBase;

        [Fact]
        public void EveryPath_AllocatesNothing()
        {
            var r = new EmulatorRig();
            r.Bus.Recording = false;
            GuestPageTables pt = r.Long64(0x40_0000);
            pt.Map(0x40_0000, 0x20_0000, P | W);
            pt.Map(0x7000_0000, M, P | W);
            pt.Map(0x7000_1000, M + 0x1000, P | W);
            pt.Map(0x7100_0000, 0x30_0000, P | W);                          // RAM
            byte[][] codes =
            {
                new byte[] { 0x89, 0x03 },                                  // mov [rbx], eax
                new byte[] { 0x48, 0x0F, 0xBE, 0x03 },                      // movsx rax, byte [rbx]
                new byte[] { 0xF0, 0x48, 0x81, 0x2B, 0x78, 0x56, 0x34, 0x12 }, // lock sub qword [rbx], 0x12345678
                new byte[] { 0x0F, 0xAB, 0x0B },                            // bts [rbx], ecx
                new byte[] { 0x86, 0x23 },                                  // xchg [rbx], ah
                new byte[] { 0xF3, 0x48, 0xA5 },                            // rep movsq (RAM -> MMIO)
                new byte[] { 0xF3, 0xAC },                                  // rep lodsb
                new byte[] { 0x8B, 0x83, 0xFE, 0x0F, 0x00, 0x00 },          // mov eax, [rbx+0xFFE] (crosses a page)
                new byte[] { 0x0F, 0x0B },                                  // ud2
                new byte[] { 0x89, 0x05, 0x00, 0x00, 0x00, 0x60 },          // mov [rip+0x60000000], eax (not mapped: #PF)
            };
            Run(r, codes, 300);                                            // warm up: JIT tiers, statics
            // The runtime itself may allocate on this thread now and then (tiered JIT call counting under
            // a busy test run); an allocation on the emulation path would show in every attempt.
            long least = long.MaxValue;
            for (int attempt = 0; attempt < 5 && least != 0; attempt++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                int done = Run(r, codes, 500);
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                Assert.Equal(500 * 8, done);
            }
            Assert.Equal(0, least);
        }

        private static int Run(EmulatorRig r, byte[][] codes, int rounds)
        {
            int done = 0;
            for (int i = 0; i < rounds; i++)
                foreach (byte[] code in codes)
                {
                    r.Poke(0x20_0000, code);
                    r.S[GuestRegister.Rip] = 0x40_0000;
                    r.S[GuestRegister.Rbx] = 0x7000_0010;
                    r.S[GuestRegister.Rcx] = 3;
                    r.S[GuestRegister.Rsi] = code[0] == 0xF3 && code[1] == 0x48 ? 0x7100_0000UL : 0x7000_0020UL;
                    r.S[GuestRegister.Rdi] = 0x7000_0100;
                    if (r.Run(M + (ulong)(code.Length == 6 && code[0] == 0x8B ? 0x1000 : 0)) == MmioResult.Done)
                        done++;
                }
            return done;
        }
    }
}
