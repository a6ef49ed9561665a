namespace Hv.Virt.Vmx
{
    /// <summary>Width of a VMCS field: bits 14:13 of its encoding (SDM Vol. 3C "Field Encoding in VMCS").</summary>
    public enum VmcsFieldWidth : byte { Bits16 = 0, Bits64 = 1, Bits32 = 2, Natural = 3 }

    /// <summary>Kind of a VMCS field: bits 11:10 of its encoding.</summary>
    public enum VmcsFieldType : byte { Control = 0, ReadOnlyData = 1, GuestState = 2, HostState = 3 }

    /// <summary>The guest segment registers in VMCS encoding order (ES=0 ... TR=7, as the field indexes run).</summary>
    public enum GuestSegment : byte { Es, Cs, Ss, Ds, Fs, Gs, Ldtr, Tr }

    /// <summary>Decodes the structure of a VMCS field encoding, and names the four fields of each guest segment.</summary>
    public static class VmcsFieldInfo
    {
        public static VmcsFieldWidth Width(VmcsField f) => (VmcsFieldWidth)(((uint)f >> 13) & 3);
        public static VmcsFieldType Type(VmcsField f) => (VmcsFieldType)(((uint)f >> 10) & 3);
        public static uint Index(VmcsField f) => ((uint)f >> 1) & 0x1FF;
        public static bool IsHighAccess(VmcsField f) => ((uint)f & 1) != 0;

        /// <summary>The bits a field holds (a natural-width field is 64 bits on Intel 64 processors).</summary>
        public static ulong Mask(VmcsField f)
        {
            switch (Width(f))
            {
                case VmcsFieldWidth.Bits16: return 0xFFFF;
                case VmcsFieldWidth.Bits32: return 0xFFFF_FFFF;
                default: return ulong.MaxValue;
            }
        }

        // The guest segment fields are consecutive per kind (B.1.2, B.3.3, B.4.3), two encodings apart.
        public static VmcsField Selector(GuestSegment s) => (VmcsField)((uint)VmcsField.GuestEsSelector + 2u * (uint)s);
        public static VmcsField Base(GuestSegment s) => (VmcsField)((uint)VmcsField.GuestEsBase + 2u * (uint)s);
        public static VmcsField Limit(GuestSegment s) => (VmcsField)((uint)VmcsField.GuestEsLimit + 2u * (uint)s);
        public static VmcsField AccessRights(GuestSegment s) => (VmcsField)((uint)VmcsField.GuestEsAccessRights + 2u * (uint)s);
    }
}
