using Hv.Virt;
using Hv.Virt.Vmx;
using Xunit;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>VmxVcpuState.CodeBitness: how the core's MMIO emulator decodes the guest's code (CS.L with EFER.LMA, else CS.D).</summary>
    public class CodeBitnessTests
    {
        [Theory]
        [InlineData(StartMode.ProtectedFlat32, 32)]
        [InlineData(StartMode.ResetVector, 16)]
        public void StartModes(StartMode mode, int bitness)
        {
            using var r = new ExitRig(mode);
            Assert.Equal(bitness, r.State.CodeBitness);
        }

        [Fact]
        public void LongModeNeedsBothLmaAndCsL()
        {
            using var r = new ExitRig();
            r.V.Write(VmcsField.GuestCsAccessRights, AccessRights.CodeData(0xB, 0, false, true) | AccessRights.L);
            Assert.Equal(16, r.State.CodeBitness);                   // CS.L without LMA: D = 0
            r.V.Write(VmcsField.GuestIa32Efer, 0x500);
            Assert.Equal(64, r.State.CodeBitness);
            r.V.Write(VmcsField.GuestCsAccessRights, AccessRights.CodeData(0xB, 0, true, true));
            Assert.Equal(32, r.State.CodeBitness);                   // compatibility mode
        }
    }
}
