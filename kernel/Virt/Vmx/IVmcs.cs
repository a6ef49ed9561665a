namespace Hv.Virt.Vmx
{
    /// <summary>
    /// The current VMCS, field by field: the hardware implementation is VMREAD/VMWRITE on the CPU's
    /// current VMCS (kernel/Arch/Vmx/HardwareVmcs.cs); host tests use an in-memory image. Values are
    /// zero-extended; a write keeps only the bits the field's width holds (SDM Vol. 3C "VMWRITE").
    /// </summary>
    public interface IVmcs
    {
        ulong Read(VmcsField field);
        void Write(VmcsField field, ulong value);
    }

    /// <summary>Typed conveniences over <see cref="IVmcs"/>.</summary>
    public static class VmcsExtensions
    {
        public static uint Read32(this IVmcs v, VmcsField f) => (uint)v.Read(f);

        public static void SetBits(this IVmcs v, VmcsField f, ulong bits) => v.Write(f, v.Read(f) | bits);

        public static void ClearBits(this IVmcs v, VmcsField f, ulong bits) => v.Write(f, v.Read(f) & ~bits);

        public static void WriteSegment(this IVmcs v, GuestSegment s, ushort selector, ulong baseAddress, uint limit, uint accessRights)
        {
            v.Write(VmcsFieldInfo.Selector(s), selector);
            v.Write(VmcsFieldInfo.Base(s), baseAddress);
            v.Write(VmcsFieldInfo.Limit(s), limit);
            v.Write(VmcsFieldInfo.AccessRights(s), accessRights);
        }
    }
}
