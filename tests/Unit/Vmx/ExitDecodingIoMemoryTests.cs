using Hv.Virt;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>Port I/O, EPT violations and entry failures decoded from a fake VMCS.</summary>
    public unsafe class ExitDecodingIoMemoryTests
    {
        private static ulong IoQ(ushort port, int size, bool input, bool str = false, bool rep = false, bool imm = false)
            => ((ulong)port << 16) | (uint)(size - 1) | (input ? 8ul : 0) | (str ? 16ul : 0) | (rep ? 32ul : 0) | (imm ? 64ul : 0);

        [Fact]
        public void OutAl_CarriesPortSizeAndValue()
        {
            using var r = new ExitRig();
            r.Regs->Gpr[(int)GuestRegister.Rax] = 0x1234_5658;
            r.Exit(VmxExitReason.IoInstruction, IoQ(0xE9, 1, false, imm: true), 2);

            Assert.False(r.Decode(out VmExit e));

            Assert.Equal(VmExitKind.IoOut, e.Kind);
            Assert.Equal(0xE9, e.Port);
            Assert.Equal(1, e.Size);
            Assert.Equal(0x58ul, e.IoValue);
            Assert.Equal(2, e.InstructionLength);
            Assert.False(e.IsString);
        }

        [Fact]
        public void InAxDx_IsAWordInput()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.IoInstruction, IoQ(0x3FD, 2, true), 2);

            r.Decode(out VmExit e);

            Assert.Equal(VmExitKind.IoIn, e.Kind);
            Assert.Equal(0x3FD, e.Port);
            Assert.Equal(2, e.Size);
        }

        [Fact]
        public void RepOutsd_ReportsLinearAddressAndInstructionInfo()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.IoInstruction, IoQ(0x1F0, 4, false, str: true, rep: true), 3)
             .Set(VmcsField.GuestLinearAddress, 0x7000)
             .Set(VmcsField.ExitInstructionInfo, (1u << 7) | (3u << 15)); // 32-bit addresses, DS

            r.Decode(out VmExit e);

            Assert.Equal(VmExitKind.IoOut, e.Kind);
            Assert.True(e.IsString && e.Rep);
            Assert.Equal(4, e.Size);
            Assert.Equal(0x7000ul, e.GuestLinear);
            Assert.Equal(0ul, e.IoValue);
            Assert.Equal(4, e.AddressSize);
            Assert.Equal(SegmentRegister.Ds, e.Segment);
            Assert.True(r.Decoder.LastStringIoValid);
            Assert.Equal(32, r.Decoder.LastStringIo.AddressBits);
            Assert.Equal(GuestSegment.Ds, r.Decoder.LastStringIo.Segment);
        }

        [Fact]
        public void RepInsw_In16BitCode_UsesEsAndTheReportedAddressSize()
        {
            using var r = new ExitRig(StartMode.ResetVector);
            r.Exit(VmxExitReason.IoInstruction, IoQ(0x60, 2, true, str: true, rep: true), 2)
             .Set(VmcsField.GuestLinearAddress, 0x8000)
             .Set(VmcsField.ExitInstructionInfo, 3u << 15); // 16-bit addresses; the segment field is undefined for INS

            r.Decode(out VmExit e);

            Assert.Equal(VmExitKind.IoIn, e.Kind);
            Assert.Equal(2, e.AddressSize);
            Assert.Equal(SegmentRegister.Es, e.Segment);
        }

        [Theory]
        [InlineData(0x1ul, AccessKind.Read)]
        [InlineData(0x2ul, AccessKind.Write)]
        [InlineData(0x84ul, AccessKind.Execute)]
        public void EptViolationOutsideRam_IsMmio(ulong qualification, AccessKind access)
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.EptViolation, qualification).Set(VmcsField.GuestPhysicalAddress, 0xFEC0_0010).Set(VmcsField.GuestLinearAddress, 0xFEC0_0010);

            Assert.False(r.Decode(out VmExit e));

            Assert.Equal(VmExitKind.MmioAccess, e.Kind);
            Assert.Equal(0xFEC0_0010ul, e.GuestPhysical);
            Assert.Equal(access, e.Access);
            // Only the address, direction and linear address: the core emulates the instruction (kernel/Virt/Mmio).
            Assert.Equal(0, e.Size);
            Assert.Equal(0, e.InstructionLength);
            Assert.Equal((qualification & 0x80) != 0 ? 0xFEC0_0010ul : 0, e.GuestLinear);
        }

        [Fact]
        public void EptViolationInsideRam_IsAMemoryFault()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.EptViolation, 0x2 | 0x8).Set(VmcsField.GuestPhysicalAddress, 0x3000);

            r.Decode(out VmExit e);

            Assert.Equal(VmExitKind.MemoryFault, e.Kind);
        }

        [Fact]
        public void EptViolationAfterIret_RestoresVirtualNmiBlocking()
        {
            using var r = new ExitRig();
            r.Exit(VmxExitReason.EptViolation, 0x1 | (1ul << 12)).Set(VmcsField.GuestPhysicalAddress, 0xFED0_0000);

            r.Decode(out _);

            Assert.Equal((ulong)Interruptibility.BlockingByNmi, r.V.Peek(VmcsField.GuestInterruptibility));
        }

        [Theory]
        [InlineData(33u, 0ul, "VM entry failed: invalid guest state (exit reason 0x80000021)")]
        [InlineData(33u, 4ul, "VM entry failed: invalid guest state (invalid VMCS link pointer) (exit reason 0x80000021)")]
        [InlineData(34u, 3ul, "VM entry failed: MSR loading (entry 3) (exit reason 0x80000022)")]
        [InlineData(41u, 0ul, "VM entry failed: machine-check event (exit reason 0x80000029)")]
        public void EntryFailure_IsInvalidWithTheReason(uint basic, ulong qualification, string text)
        {
            using var r = new ExitRig();
            r.Exit((VmxExitReason)basic, qualification, 0, 0x8000_0000u | basic);

            Assert.False(r.Decode(out VmExit e));

            Assert.Equal(VmExitKind.Invalid, e.Kind);
            Assert.Equal(text, e.EntryFailureReason);
        }

        [Fact]
        public void VmFailValid_NamesTheInstructionError()
        {
            VmExit e = default;
            VmxExitDecoder.EntryInstructionFailed(VmEntryResult.FailValid, true, 7, 0xFFF0, ref e);

            Assert.Equal(VmExitKind.Invalid, e.Kind);
            Assert.Equal("VMLAUNCH failed: VM-instruction error 7: VM entry with invalid control field(s)", e.EntryFailureReason);

            VmxExitDecoder.EntryInstructionFailed(VmEntryResult.FailInvalid, false, 0, 0, ref e);
            Assert.Equal("VMRESUME failed: VMfailInvalid (no current VMCS)", e.EntryFailureReason);
        }
    }
}
