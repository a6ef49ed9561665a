// Runtime start-up: the early heap, then every module's GC statics and eager class
// constructors, found through the ReadyToRun headers that ilc places between the linker
// symbols __modules_a and __modules_z (sections .modules$A..$Z, kernel/Arch/Asm/runtime.asm).
using System;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.Kernel
{
    public static unsafe class RuntimeStartup
    {
        private const uint ReadyToRunSignature = 0x00525452; // "RTR"
        private const int GCStaticRegion = 201;
        private const int EagerCctor = 205;
        private const nint StaticUninitialized = 0x1;
        private const nint StaticHasPreInitializedData = 0x2;
        private const nint StaticFlagMask = 0x3;

        public static int GcStaticBlocks { get; private set; }
        public static int EagerConstructors { get; private set; }

        /// <summary>Call first thing in EfiMain, before any static field is touched.</summary>
        public static void Initialize()
        {
            KernelHeap.InitializeEarly();
            for (byte** m = (byte**)Native.hv_modules_start(); m < (byte**)Native.hv_modules_end(); m++)
                if (*m != null) InitializeModule(*m);
        }

        private static void InitializeModule(byte* header)
        {
            if (*(uint*)header != ReadyToRunSignature) Panic.Fail("bad ReadyToRun header signature", *(uint*)header, "found");
            int sections = *(ushort*)(header + 12);
            int entrySize = header[14];
            // Rows: int SectionId, int Flags, void* Start, void* End.
            for (int pass = 0; pass < 2; pass++)
                for (int i = 0; i < sections; i++)
                {
                    byte* row = header + 16 + i * entrySize;
                    int id = *(int*)row;
                    byte* start = *(byte**)(row + 8);
                    byte* end = *(byte**)(row + 16);
                    if (pass == 0 && id == GCStaticRegion) InitializeGcStatics(start, end);
                    if (pass == 1 && id == EagerCctor) RunEagerConstructors(start, end);
                }
        }

        /// <summary>
        /// Each entry is a 32-bit relative pointer to a static base slot. The slot first holds a
        /// relative pointer (plus flag bits) to the MethodTable of the statics block; we allocate
        /// that block, copy pre-initialised data when present, and store the object in the slot.
        /// </summary>
        private static void InitializeGcStatics(byte* start, byte* end)
        {
            for (int* entry = (int*)start; entry < (int*)end; entry++)
            {
                nint* slot = (nint*)((byte*)entry + *entry);
                nint tagged = (nint)((byte*)slot + *(int*)slot);
                if ((tagged & StaticUninitialized) == 0) continue; // already done (shared region)
                MethodTable* mt = (MethodTable*)(tagged & ~StaticFlagMask);
                object block = Allocator.NewObject(mt);
                if ((tagged & StaticHasPreInitializedData) != 0)
                {
                    int* dataRel = (int*)slot + 1;
                    byte* data = (byte*)dataRel + *dataRel;
                    nuint size = mt->BaseSize - (nuint)(2 * sizeof(nint));
                    Buffer.Memmove((byte*)Unsafe.AsPointer(ref Unsafe.As<RawData>(block).Data), data, size);
                }
                *slot = Unsafe.As<object, nint>(ref block);
                GcStaticBlocks++;
            }
        }

        private static void RunEagerConstructors(byte* start, byte* end)
        {
            for (int* entry = (int*)start; entry < (int*)end; entry++)
            {
                var cctor = (delegate*<void>)((byte*)entry + *entry);
                cctor();
                EagerConstructors++;
            }
        }
    }
}

namespace Internal.Runtime.Kernel
{
    /// <summary>Set by the kernel once it has threads.</summary>
    public static unsafe class RuntimeHooks
    {
        /// <summary>A token of the running thread (class constructors: who is running which).</summary>
        public static delegate*<nint> CctorOwner;
    }
}

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>ilc requires this type to exist; start-up itself is RuntimeStartup.</summary>
    internal static class StartupCodeHelpers { }
}

namespace System.Runtime.CompilerServices
{
    /// <summary>Per-type class-constructor state (ilc's contract): the cctor's address, 0 once run.</summary>
    public struct StaticClassConstructionContext
    {
        public volatile nint cctorMethodAddress;
    }

    internal static unsafe class ClassConstructorRunner
    {
        private static object CheckStaticClassConstructionReturnGCStaticBase(ref StaticClassConstructionContext context, object gcStaticBase)
        {
            EnsureRun(ref context);
            return gcStaticBase;
        }

        private static nint CheckStaticClassConstructionReturnNonGCStaticBase(ref StaticClassConstructionContext context, nint nonGcStaticBase)
        {
            EnsureRun(ref context);
            return nonGcStaticBase;
        }

        /// <summary>
        /// Runs the cctor once, also when several CPUs race: the winner swaps the address for 1
        /// ("running"), others spin until it becomes 0. A cctor that (through methods it calls)
        /// reaches its own type again proceeds, as in .NET: the type counts as initialised for the
        /// thread running its constructor. Threads are told apart by RuntimeHooks.CctorOwner (the
        /// kernel's current thread); before the scheduler exists there is one thread.
        /// </summary>
        private static void EnsureRun(ref StaticClassConstructionContext context)
        {
            void* me = Unsafe.AsPointer(ref context);
            nint owner = Internal.Runtime.Kernel.RuntimeHooks.CctorOwner == null ? 0 : Internal.Runtime.Kernel.RuntimeHooks.CctorOwner();
            while (true)
            {
                nint state = context.cctorMethodAddress;
                if (state == 0) return;
                if (state == 1)
                {
                    if (IsRunningBy(me, owner)) return;
                    continue;
                }
                if (System.Threading.Interlocked.CompareExchange(ref context.cctorMethodAddress, 1, state) == state)
                {
                    int slot = Claim(me, owner);
                    ((delegate*<void>)state)();
                    s_running[slot].Context = null;
                    System.Threading.Interlocked.MemoryBarrier();
                    context.cctorMethodAddress = 0;
                    return;
                }
            }
        }

        private struct RunningCctor
        {
            public void* Context;
            public nint Owner;
        }

        // Constructors running right now, on any CPU (a small table: they nest a few levels deep).
        private const int MaxRunning = 64;
        private static readonly RunningCctor[] s_running = new RunningCctor[MaxRunning];

        private static bool IsRunningBy(void* context, nint owner)
        {
            for (int i = 0; i < MaxRunning; i++)
                if (s_running[i].Context == context && s_running[i].Owner == owner) return true;
            return false;
        }

        private static int Claim(void* context, nint owner)
        {
            for (int i = 0; i < MaxRunning; i++)
            {
                fixed (void** slot = &s_running[i].Context)
                    if (System.Threading.Interlocked.CompareExchange(ref *(nint*)slot, (nint)context, 0) == 0)
                    {
                        s_running[i].Owner = owner;
                        return i;
                    }
            }
            Internal.Runtime.Kernel.Panic.Fail("more than 64 class constructors running at once");
            return 0;
        }
    }
}
