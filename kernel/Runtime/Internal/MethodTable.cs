// The type descriptor ilc emits for every type (its layout is the compiler's, .NET 10):
//
//   +0  uint  flags        low 16 bits: component size (arrays, string) when HasComponentSize
//   +4  uint  base size    bytes of an instance including the 8-byte header before the MT pointer
//   +8  MT*   related type base type (classes) or element type (arrays)
//  +16  u16   vtable slots
//  +18  u16   interfaces
//  +20  u32   hash code
//  +24  code* vtable[slots]
//       MT*   interfaces[interfaces]
//       i32   relative pointers: type manager, writable data, [dispatch map], [finalizer],
//             [sealed virtual slots], ...   (present when their flag is set)
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    internal unsafe struct MethodTable
    {
        private uint _uFlags;
        private uint _uBaseSize;
        private MethodTable* _relatedType;
        private ushort _usNumVtableSlots;
        private ushort _usNumInterfaces;
        private uint _uHashCode;

        // Flag bits of _uFlags (ilc's EETypeFlags).
        private const uint KindMask = 0x00030000;
        private const uint ParameterizedKind = 0x00020000;
        private const uint HasDispatchMapFlag = 0x00040000;
        private const uint HasFinalizerFlag = 0x00100000;
        private const uint HasSealedVTableEntriesFlag = 0x00400000;
        private const uint IsGenericFlag = 0x02000000;
        private const uint ElementTypeMask = 0x7C000000;
        private const int ElementTypeShift = 26;
        private const uint HasComponentSizeFlag = 0x80000000;

        // Element types (ilc's EETypeElementType) that matter to casts.
        internal const uint ElementTypeInterface = 0x15;
        internal const uint ElementTypeSzArray = 0x18;
        internal const uint ElementTypeArray = 0x17;

        [Intrinsic]
        internal static extern MethodTable* Of<T>();

        internal uint BaseSize => _uBaseSize;
        internal bool HasComponentSize => (_uFlags & HasComponentSizeFlag) != 0;
        internal ushort ComponentSize => HasComponentSize ? (ushort)_uFlags : (ushort)0;
        internal uint ElementType => (_uFlags & ElementTypeMask) >> ElementTypeShift;
        internal bool IsInterface => ElementType == ElementTypeInterface;
        internal bool IsArray => ElementType == ElementTypeSzArray || ElementType == ElementTypeArray;
        internal bool IsParameterized => (_uFlags & KindMask) == ParameterizedKind;
        internal bool IsValueType => ElementType < 0x14 && ElementType != 0; // below Class (0x14)
        internal bool HasDispatchMap => (_uFlags & HasDispatchMapFlag) != 0;
        internal bool HasSealedVTableEntries => (_uFlags & HasSealedVTableEntriesFlag) != 0;
        internal bool IsFinalizable => (_uFlags & HasFinalizerFlag) != 0;
        internal ushort NumVtableSlots => _usNumVtableSlots;
        internal ushort NumInterfaces => _usNumInterfaces;

        /// <summary>Base type for classes; element type for arrays.</summary>
        internal MethodTable* RelatedType => _relatedType;
        internal MethodTable* BaseType => IsParameterized ? null : _relatedType;

        internal nint* Vtable => (nint*)((byte*)Unsafe.AsPointer(ref this) + sizeof(MethodTable));
        internal MethodTable** InterfaceMap => (MethodTable**)(Vtable + _usNumVtableSlots);

        /// <summary>Address of the first optional relative pointer (the type manager's).</summary>
        private int* OptionalFields => (int*)(InterfaceMap + _usNumInterfaces);

        private static byte* Relative(int* p) => (byte*)p + *p;

        internal DispatchMap* DispatchMap
        {
            get
            {
                if (!HasDispatchMap) return null;
                return (DispatchMap*)Relative(OptionalFields + 2); // after type manager, writable data
            }
        }

        /// <summary>Code address of a sealed virtual slot (an implementation slot past the vtable).</summary>
        internal nint GetSealedVirtualSlot(int index)
        {
            int* p = OptionalFields + 2;
            if (HasDispatchMap) p++;
            if (IsFinalizable) p++;
            int* table = (int*)Relative(p);
            return (nint)Relative(table + index);
        }
    }

    /// <summary>Interface-to-implementation slot map of a type (ilc's DispatchMap).</summary>
    internal unsafe struct DispatchMap
    {
        internal ushort StandardEntryCount;
        internal ushort DefaultEntryCount;
        internal ushort StandardStaticEntryCount;
        internal ushort DefaultStaticEntryCount;

        internal struct Entry
        {
            internal ushort InterfaceIndex;
            internal ushort InterfaceMethodSlot;
            internal ushort ImplMethodSlot;
        }

        internal Entry* Entries => (Entry*)((byte*)Unsafe.AsPointer(ref this) + 8);
    }
}
