namespace Hv.Virt.Vmx
{
    public sealed unsafe partial class VmxVcpuState
    {
        /// <summary>64 in 64-bit code (EFER.LMA and CS.L), else 32 or 16 by CS.D (SDM Vol. 3A §3.4.5 "D/B flag").</summary>
        public int CodeBitness
        {
            get
            {
                var cs = new AccessRights(_v.Read32(VmcsField.GuestCsAccessRights));
                if (LongMode && cs.Long) return 64;
                return cs.DefaultBig ? 32 : 16;
            }
        }
    }
}
