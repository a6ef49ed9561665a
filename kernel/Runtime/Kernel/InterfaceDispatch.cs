// Interface calls. ilc emits, per call site, a 16-byte cell { stub, info } and calls through it
// with the cell's address in r11. The info word first holds a relative pointer to the interface's
// MethodTable (low 2 bits: kind); the interface slot is stored after each run of cells
// ({0, slot} terminator). The stub (kernel/Arch/Asm/runtime.asm) is:
//   RhpInitialDynamicInterfaceDispatch: slow path -> Resolve() below, which resolves through the
//   type's dispatch map, then caches: info := pointer to an immutable CacheEntry
//   {type, target, interface, slot}, stub := RhpMonomorphicInterfaceDispatch, which compares the
//   receiver's type with the entry and jumps straight to the target (the cache), else resolves again.
// On x86 (TSO) the two 8-byte stores, info first, keep every reader consistent.
using System;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Internal.Runtime.Kernel
{
    internal static unsafe class InterfaceDispatch
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct CacheEntry
        {
            public MethodTable* Type;
            public nint Target;
            public MethodTable* Interface;
            public nint Slot;
        }

        private const nint KindMask = 3;
        private const nint KindCache = 0;              // info points at a CacheEntry
        private const nint KindIndirectRelative = 2;   // relative pointer to a cell holding the MT*
        private const nint KindRelative = 3;           // relative pointer to the interface MT

        [DllImport("hvasm"), SuppressGCTransition] private static extern nint hv_monomorphic_dispatch_stub();

        public static long Resolutions;

        [RuntimeExport("HvResolveInterfaceCall")]
        private static nint Resolve(object receiver, nint* cell)
        {
            MethodTable* iface;
            int slot;
            nint info = cell[1];
            if ((info & KindMask) == KindCache)
            {
                var entry = (CacheEntry*)info;
                iface = entry->Interface;
                slot = (int)entry->Slot;
            }
            else
            {
                byte* rel = (byte*)(cell + 1) + *(int*)(cell + 1) - (info & KindMask);
                iface = (info & KindMask) == KindRelative ? (MethodTable*)rel : *(MethodTable**)rel;
                nint* c = cell;
                while (c[0] != 0) c += 2;   // the run's terminator holds the slot
                slot = (int)c[1];
            }

            MethodTable* type = receiver.m_pMethodTable;
            nint target = FindImplementation(type, iface, slot);
            if (target == 0) Panic.Fail("interface method not implemented (type MethodTable at)", (ulong)type, "");
            Resolutions++;

            var e = (CacheEntry*)KernelHeap.Alloc((nuint)sizeof(CacheEntry));
            e->Type = type; e->Target = target; e->Interface = iface; e->Slot = slot;
            cell[1] = (nint)e;
            cell[0] = hv_monomorphic_dispatch_stub();
            return target;
        }

        /// <summary>Walks the type and its bases for a dispatch-map entry of (interface, slot).</summary>
        internal static nint FindImplementation(MethodTable* type, MethodTable* iface, int slot)
        {
            for (MethodTable* t = type; t != null; t = t->BaseType)
            {
                DispatchMap* map = t->DispatchMap;
                if (map == null) continue;
                DispatchMap.Entry* entries = map->Entries;
                int count = map->StandardEntryCount + map->DefaultEntryCount;
                for (int i = 0; i < count; i++)
                {
                    if (entries[i].InterfaceMethodSlot != slot) continue;
                    if (entries[i].InterfaceIndex >= t->NumInterfaces || t->InterfaceMap[entries[i].InterfaceIndex] != iface) continue;
                    int impl = entries[i].ImplMethodSlot;
                    // A slot inside the vtable is resolved on the receiver's type (it may be overridden);
                    // past it, the sealed-slot table of the type that declared the entry.
                    return impl < t->NumVtableSlots ? type->Vtable[impl] : t->GetSealedVirtualSlot(impl - t->NumVtableSlots);
                }
            }
            return 0;
        }
    }
}

namespace System.Runtime.InteropServices
{
    using Internal.Runtime;

    public unsafe interface IDynamicInterfaceCastable
    {
        internal static nint GetDynamicInterfaceImplementation(IDynamicInterfaceCastable instance, MethodTable* interfaceType, ushort slot)
        {
            Internal.Runtime.Kernel.Panic.Fail("IDynamicInterfaceCastable is not supported");
            return 0;
        }
    }
}
